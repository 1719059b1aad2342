namespace Komlogd.Core.Supervision;

/// <summary>A child's channel is gone (it died, or closed its end); the supervisor then looks at its exit.</summary>
public sealed class ChildLostException(string message, Exception? inner = null) : Exception(message, inner);
