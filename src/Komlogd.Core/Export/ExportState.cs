namespace Komlogd.Core.Export;

/// <summary>An export block's state, as status shows it. Changed only by the block's exporter.</summary>
public enum ExportState
{
    /// <summary>Sending, or caught up and watching for new samples (a listen block: serving /metrics).</summary>
    Running,

    /// <summary>The last attempt failed in a way worth retrying; waiting before the next (exponential, with jitter).</summary>
    Backoff,

    /// <summary>Not running: a mistake in its block, or it could not start (a file it names, its port). Last error says which.</summary>
    Disabled,
}
