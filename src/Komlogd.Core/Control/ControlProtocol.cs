namespace Komlogd.Core.Control;

// The control socket's wire contract (docs/protocol.md, "Control socket"): JSON-RPC over the Unix socket
// <config dir>/komlogd.sock, System.Text.Json formatter, header-delimited messages.

public static class ControlMethods
{
    public const string Insert = "insert";
    public const string Status = "status";
    public const string Start = "venv.start";
    public const string Stop = "venv.stop";
    public const string Restart = "venv.restart";
    public const string Reload = "reload";
}

/// <param name="Uri">The uri.</param>
/// <param name="Type">datasource or datapoint.</param>
/// <param name="T">Unix ms, UTC; null for "now" (then the sample moves to the next free millisecond).</param>
/// <param name="Value">Text, or the decimal in invariant form.</param>
public sealed record ControlSample(string Uri, string Type, long? T, string Value);

/// <param name="Pid">The agent's pid.</param>
/// <param name="StartedAt">When it started (ISO-8601 UTC).</param>
/// <param name="ConfigFile">Its configuration.</param>
/// <param name="Venvs">Every supervised venv.</param>
/// <param name="UptimeSeconds">Seconds since it started.</param>
/// <param name="StoreBytes">Size of the store's files (database and WAL).</param>
/// <param name="SamplesPerSecond">Samples committed per second over the last minute.</param>
/// <param name="SamplesTotal">Samples committed since it started.</param>
/// <param name="Exports">Every export block, valid or not (docs/export.md).</param>
public sealed record AgentStatus(int Pid, string StartedAt, string ConfigFile, double UptimeSeconds, long StoreBytes, double SamplesPerSecond, long SamplesTotal, IReadOnlyList<VenvStatusDto> Venvs, IReadOnlyList<ExportStatusDto> Exports);

/// <param name="Name">The venv.</param>
/// <param name="State">Stopped, Starting, Running, Backoff, Stopping or Fatal.</param>
/// <param name="Pid">The child's pid, if any.</param>
/// <param name="Restarts">Children started after the first.</param>
/// <param name="Since">When it entered its state (ISO-8601 UTC).</param>
/// <param name="LastError">Why the last child ended, or null.</param>
/// <param name="UptimeSeconds">Seconds in its state.</param>
/// <param name="Packages">What the running child loaded: name, version, error.</param>
public sealed record VenvStatusDto(string Name, string State, int? Pid, int Restarts, string Since, double UptimeSeconds, string? LastError, IReadOnlyList<PackageDto> Packages);

/// <param name="Name">Package id.</param>
/// <param name="Version">Resolved version.</param>
/// <param name="Error">Why it did not load, or null.</param>
public sealed record PackageDto(string Name, string Version, string? Error);
