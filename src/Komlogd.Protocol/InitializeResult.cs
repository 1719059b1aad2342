namespace Komlogd.Protocol;

/// <summary>The answer to <c>initialize</c>.</summary>
/// <param name="Pid">The host's process id.</param>
/// <param name="Packages">Every package of the venv, loaded or not.</param>
public sealed record InitializeResult(int Pid, IReadOnlyList<PackageInfo> Packages);
