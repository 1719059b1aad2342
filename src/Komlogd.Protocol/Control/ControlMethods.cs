namespace Komlogd.Protocol.Control;

/// <summary>
/// Method names on the control socket, <c>&lt;config dir&gt;/komlogd.sock</c>: JSON-RPC, System.Text.Json
/// formatter, header-delimited messages (docs/protocol.md, "Control socket").
/// </summary>
public static class ControlMethods
{
    /// <summary>Store samples: <c>[ControlSample…]</c> → times stored.</summary>
    public const string Insert = "insert";

    /// <summary>Read samples of one uri: a <see cref="GetRequest"/> → <see cref="WireSample"/>s, newest first.</summary>
    public const string Get = "get";

    /// <summary>The agent's <see cref="AgentStatus"/>.</summary>
    public const string Status = "status";

    /// <summary>Start a venv by name → its <see cref="VenvStatusDto"/>.</summary>
    public const string Start = "venv.start";

    /// <summary>Stop a venv by name → its <see cref="VenvStatusDto"/>.</summary>
    public const string Stop = "venv.stop";

    /// <summary>Restart a venv by name → its <see cref="VenvStatusDto"/>.</summary>
    public const string Restart = "venv.restart";

    /// <summary>Metric identification on a datasource: an <see cref="IdentifyRequest"/> → <see cref="IdentifyResult"/>.</summary>
    public const string Identify = "identify";

    /// <summary>Re-read komlogd.yaml → one line per venv that changed.</summary>
    public const string Reload = "reload";
}
