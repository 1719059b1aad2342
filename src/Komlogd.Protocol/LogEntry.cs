namespace Komlogd.Protocol;

/// <summary>A log line from a package or the host (the <c>log</c> notification).</summary>
/// <param name="Level">One of <see cref="LogLevels"/>.</param>
/// <param name="Package">The package that logged it; null for the host itself.</param>
/// <param name="Message">The message.</param>
/// <param name="Exception">The exception's text, or null.</param>
public sealed record LogEntry(string Level, string? Package, string Message, string? Exception);
