namespace Kpack.Linux.Collection;

/// <summary>What a finished command printed.</summary>
internal sealed record CommandResult(int ExitCode, string Stdout, string Stderr);
