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

    /// <summary>Optional: the file for the host's start-up JIT profile (StartupProfile); one per venv.</summary>
    public const string JitProfileName = "KOMLOGD_HOST_JIT_PROFILE";
    // 2: samples.insert carries a SampleBatch (columns, each uri once) instead of an array of WireSample.
    public const int Version = 2;
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

/// <summary>
/// The samples of one <c>samples.insert</c>, by column: each distinct (uri, type) once in
/// <see cref="Uris"/>/<see cref="Types"/>, then one entry per sample in <see cref="UriIndex"/>,
/// <see cref="T"/> and <see cref="Values"/>. A batch of 10,000 samples of one metric is three flat arrays
/// rather than 10,000 objects of four named strings: about a third of the bytes, and the agent parses and
/// checks each uri once (docs/benchmarks.md, store).
/// </summary>
/// <param name="Uris">The distinct uris of the batch.</param>
/// <param name="Types">datasource or datapoint, one per entry of <paramref name="Uris"/>.</param>
/// <param name="UriIndex">Per sample: its uri's index in <paramref name="Uris"/>.</param>
/// <param name="T">Per sample: unix milliseconds, UTC.</param>
/// <param name="Values">Per sample: the text, or the decimal in invariant form.</param>
public sealed record SampleBatch(string[] Uris, string[] Types, int[] UriIndex, long[] T, string[] Values)
{
    /// <summary>The number of samples.</summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public int Count => UriIndex.Length;
}

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
