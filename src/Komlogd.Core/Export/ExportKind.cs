namespace Komlogd.Core.Export;

/// <summary>What an export block does: push to a remote-write receiver, or serve /metrics for a scrape.</summary>
public enum ExportKind
{
    /// <summary><c>prometheus_remote_write: URL</c>: every committed datapoint is sent, at least once, through the outbox.</summary>
    RemoteWrite,

    /// <summary><c>prometheus_listen: HOST:PORT</c>: /metrics serves the latest value of each datapoint and the agent's health.</summary>
    Listen,
}
