namespace Komlogd.Protocol.Control;

/// <summary>The answer to <c>status</c>.</summary>
/// <param name="Pid">The agent's pid.</param>
/// <param name="StartedAt">When it started (ISO-8601 UTC).</param>
/// <param name="ConfigFile">Its configuration.</param>
/// <param name="UptimeSeconds">Seconds since it started.</param>
/// <param name="StoreBytes">Size of the store's files (database and WAL).</param>
/// <param name="SamplesPerSecond">Samples committed per second over the last minute.</param>
/// <param name="SamplesTotal">Samples committed since it started.</param>
/// <param name="Venvs">Every supervised venv.</param>
/// <param name="Exports">Every export block, valid or not (docs/export.md, "Status").</param>
/// <param name="StoreError">Why the last write to the store failed, while no write has succeeded since; else null.</param>
public sealed record AgentStatus(
    int Pid,
    string StartedAt,
    string ConfigFile,
    double UptimeSeconds,
    long StoreBytes,
    double SamplesPerSecond,
    long SamplesTotal,
    IReadOnlyList<VenvStatusDto> Venvs,
    IReadOnlyList<ExportStatusDto> Exports,
    string? StoreError = null);
