namespace Komlogd.Protocol;

/// <summary>Method names on the agent ↔ plugin host channel (docs/protocol.md).</summary>
public static class HostMethods
{
    /// <summary>Agent → host request: load the venv's packages.</summary>
    public const string Initialize = "initialize";

    /// <summary>Agent → host request: a health check answered with its argument.</summary>
    public const string Ping = "ping";

    /// <summary>Agent → host request: unload and flush; answered when done.</summary>
    public const string Shutdown = "shutdown";

    /// <summary>
    /// Agent → host notification: samples committed for uris the host subscribed to, and the id of the
    /// transfer method of this host whose run committed them (null when another writer did).
    /// </summary>
    public const string Updated = "samples.updated";

    /// <summary>Agent → host request: the host's transfer-method runs so far (<see cref="RunStats"/>).</summary>
    public const string Runs = "runs";

    /// <summary>Host → agent notification: a log line.</summary>
    public const string Log = "log";

    /// <summary>Host → agent request: store a <see cref="SampleBatch"/> in one transaction.</summary>
    public const string Insert = "samples.insert";

    /// <summary>Host → agent request: read samples of one uri.</summary>
    public const string Get = "samples.get";

    /// <summary>Host → agent request: hear about new samples of these uris.</summary>
    public const string Subscribe = "subscribe";

    /// <summary>Host → agent request: undo one subscribe of these uris.</summary>
    public const string Unsubscribe = "unsubscribe";
}
