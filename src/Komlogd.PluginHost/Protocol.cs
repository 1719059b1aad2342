namespace Komlogd.PluginHost;

// The wire contract between the agent (Komlogd.Core/Supervision) and a host. docs/protocol.md describes
// every method; change both together and bump Version.

/// <summary>Handshake values: environment variables the agent sets for its child.</summary>
public static class Handshake
{
    /// <summary>Without this cookie the host refuses to run: it is not a program to run by hand.</summary>
    public const string CookieName = "KOMLOGD_PLUGIN_COOKIE";
    public const string CookieValue = "5f1d3a0c-komlogd-plugin-host";
    public const string ProtocolVersionName = "KOMLOGD_PROTOCOL_VERSION";
    public const int Version = 1;
}

/// <summary>Method names on the wire.</summary>
public static class Methods
{
    // agent -> host
    public const string Initialize = "initialize";
    public const string Ping = "ping";
    public const string Shutdown = "shutdown";

    // host -> agent (notifications)
    public const string Log = "log";

    // host -> agent (requests)
    public const string Insert = "samples.insert";
    public const string Get = "samples.get";
    public const string Subscribe = "subscribe";
    public const string Unsubscribe = "unsubscribe";

    // agent -> host (notifications)
    public const string Updated = "samples.updated";
}

/// <summary>A sample on the wire. Type: "datasource" or "datapoint"; value: the text, or the decimal in invariant form.</summary>
/// <param name="Uri">The metric's uri.</param>
/// <param name="T">Unix milliseconds, UTC.</param>
/// <param name="Type">datasource or datapoint.</param>
/// <param name="Value">The value as text.</param>
public sealed record WireSample(string Uri, long T, string Type, string Value);

/// <param name="Uri">The metric's uri.</param>
/// <param name="Type">datasource or datapoint: what the reader expects; null for whatever the uri holds.</param>
/// <param name="Start">Unix ms, inclusive, or null.</param>
/// <param name="End">Unix ms, inclusive, or null.</param>
/// <param name="Count">At most this many (newest), or null.</param>
public sealed record GetRequest(string Uri, string? Type, long? Start, long? End, int? Count);

/// <param name="ProtocolVersion">The agent's <see cref="Handshake.Version"/>.</param>
/// <param name="Venv">The venv's name (for logs).</param>
/// <param name="EntryAssembly">Full path of the venv's publish/Komlogd.Venv.dll.</param>
public sealed record InitializeRequest(int ProtocolVersion, string Venv, string EntryAssembly);

/// <param name="Name">Assembly name of the package.</param>
/// <param name="Version">Its informational (or assembly) version.</param>
/// <param name="Error">Null when loaded; else one line: why it did not load.</param>
public sealed record PackageInfo(string Name, string Version, string? Error);

/// <param name="Pid">The host's process id.</param>
/// <param name="Packages">Every package of the venv, loaded or not.</param>
public sealed record InitializeResult(int Pid, IReadOnlyList<PackageInfo> Packages)
{
    public bool Ok => Packages.Count > 0 && Packages.All(p => p.Error is null);
}

/// <summary>A log line from a package or the host. Level: Debug, Information, Warning, Error.</summary>
public sealed record LogEntry(string Level, string? Package, string Message, string? Exception);
