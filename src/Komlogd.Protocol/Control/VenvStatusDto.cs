namespace Komlogd.Protocol.Control;

/// <summary>One venv in <see cref="AgentStatus"/>, and the answer to venv.start/stop/restart.</summary>
/// <param name="Name">The venv.</param>
/// <param name="State">Stopped, Starting, Running, Backoff, Stopping or Fatal.</param>
/// <param name="Pid">The child's pid, if any.</param>
/// <param name="Restarts">Children started after the first.</param>
/// <param name="Since">When it entered its state (ISO-8601 UTC).</param>
/// <param name="UptimeSeconds">Seconds in its state.</param>
/// <param name="LastError">Why the last child ended, or null.</param>
/// <param name="Packages">What the running child loaded: name, version, error.</param>
/// <param name="Runs">The running child's transfer-method runs; null when no child runs or it did not answer in time (2 s).</param>
public sealed record VenvStatusDto(string Name, string State, int? Pid, int Restarts, string Since, double UptimeSeconds, string? LastError, IReadOnlyList<PackageDto> Packages, RunsDto? Runs = null);
