namespace Komlogd.Core.Supervision;

/// <summary>A child answered a request with an error (e.g. a protocol version it does not speak).</summary>
public sealed class ChildRefusedException(string message, Exception? inner = null) : Exception(message, inner);
