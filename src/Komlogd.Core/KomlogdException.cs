namespace Komlogd.Core;

/// <summary>
/// A mistake a user can make (bad input, bad configuration, a state the command cannot work in). The CLI
/// prints <see cref="Exception.Message"/> as one line and exits with <see cref="ExitCode"/>; no stack trace.
/// </summary>
public class KomlogdException(string message, int exitCode = ExitCodes.Usage, Exception? inner = null)
    : Exception(message, inner)
{
    public int ExitCode { get; } = exitCode;
}

public static class ExitCodes
{
    public const int Ok = 0;
    /// <summary>Runtime failure, and "not initialized" (the original's message).</summary>
    public const int Failure = 1;
    /// <summary>Bad configuration or bad input.</summary>
    public const int Usage = 2;
}
