using System.Globalization;
using System.Net.Sockets;
using Komlogd.Protocol;
using Komlogd.Protocol.Control;
using Komlogd.Sdk;
using StreamJsonRpc;

namespace Komlogd.Client;

/// <summary>
/// A connection to the local komlogd agent, for programs that are not packages: send samples and read them
/// back, as the original's <c>KomlogSession</c> did (<c>session.send_samples(samples)</c>). It talks to the
/// agent's control socket (<c>&lt;config dir&gt;/komlogd.sock</c>, docs/protocol.md), so the samples reach
/// the packages subscribed to their uris as any other write does. The socket is the user's own (mode 0600):
/// there is no login.
/// </summary>
/// <example>
/// <code>
/// await using var session = await KomlogdSession.ConnectAsync();           // ~/.komlogd/komlogd.sock
/// var load = new Datapoint("host.load.1m");
/// await session.SendSamplesAsync([new Sample(load, DateTimeOffset.UtcNow, 0.42m)]);
/// IReadOnlyList&lt;Sample&gt; last = await session.GetAsync(load, count: 10);  // newest first
/// </code>
/// </example>
public sealed class KomlogdSession : IAsyncDisposable, IDisposable
{
    private readonly JsonRpc _rpc;

    private KomlogdSession(JsonRpc rpc, string socketPath)
    {
        _rpc = rpc;
        SocketPath = socketPath;
    }

    /// <summary>The control socket this session talks to.</summary>
    public string SocketPath { get; }

    /// <summary>The default config dir's socket: <c>~/.komlogd/komlogd.sock</c>.</summary>
    public static string DefaultSocketPath =>
        Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".komlogd", "komlogd.sock");

    /// <summary>Connects to the agent running with the config dir <paramref name="configDir"/> (default <c>~/.komlogd</c>).</summary>
    /// <param name="configDir">The directory of the agent's komlogd.yaml; null for <c>~/.komlogd</c>.</param>
    /// <param name="cancellationToken">Cancels the connection attempt.</param>
    /// <returns>A session; dispose it to close the connection.</returns>
    /// <exception cref="AgentNotRunningException">No agent listens there.</exception>
    /// <example>
    /// <code>
    /// await using var session = await KomlogdSession.ConnectAsync("/srv/komlogd");
    /// </code>
    /// </example>
    public static async Task<KomlogdSession> ConnectAsync(string? configDir = null, CancellationToken cancellationToken = default)
    {
        var socketPath = configDir is null ? DefaultSocketPath : Path.Combine(Path.GetFullPath(configDir), "komlogd.sock");
        if (!File.Exists(socketPath))
        {
            throw new AgentNotRunningException(socketPath);
        }
        var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        try
        {
            await socket.ConnectAsync(new UnixDomainSocketEndPoint(socketPath), cancellationToken).ConfigureAwait(false);
        }
        catch (SocketException e)
        {
            // A socket file a killed agent left behind: nobody listens.
            socket.Dispose();
            throw new AgentNotRunningException(socketPath, e);
        }
        var stream = new NetworkStream(socket, ownsSocket: true);
        var rpc = new JsonRpc(new HeaderDelimitedMessageHandler(stream, stream, new SystemTextJsonFormatter()));
        rpc.StartListening();
        return new KomlogdSession(rpc, socketPath);
    }

    /// <summary>
    /// Stores the samples in one transaction (all or none); a sample at a time its uri already has replaces
    /// the value there. Subscribers hear of the samples that changed something.
    /// </summary>
    /// <param name="samples">The samples; their values were checked when they were made.</param>
    /// <param name="cancellationToken">Cancels the wait for the answer.</param>
    /// <exception cref="KomlogdClientException">The agent refused them (a uri holding the other kind of metric) or could not store them; nothing was stored.</exception>
    /// <example>
    /// <code>
    /// var df = new Datasource("host.df");
    /// await session.SendSamplesAsync([new Sample(df, DateTimeOffset.UtcNow, dfOutput)]);
    /// </code>
    /// </example>
    public async Task SendSamplesAsync(IEnumerable<Sample> samples, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(samples);
        var wire = samples.Select(s => new ControlSample(s.Metric.Uri, TypeOf(s.Metric), s.T.ToUnixTimeMilliseconds(), ValueText(s))).ToList();
        if (wire.Count > 0)
        {
            await CallAsync<long[]>(ControlMethods.Insert, [wire], cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Reads samples of <paramref name="metric"/> with <paramref name="start"/> ≤ t ≤ <paramref name="end"/>,
    /// newest first, at most <paramref name="count"/>, as <see cref="Metric.GetAsync"/> does inside a package.
    /// </summary>
    /// <param name="metric">The metric to read (its kind must be the uri's).</param>
    /// <param name="start">The earliest time, inclusive; null for no lower bound.</param>
    /// <param name="end">The latest time, inclusive; null for no upper bound.</param>
    /// <param name="count">The most samples to return (the newest); null for all.</param>
    /// <param name="cancellationToken">Cancels the wait for the answer.</param>
    /// <returns>The samples, newest first; empty when there are none.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="count"/> is below 1.</exception>
    /// <exception cref="ArgumentException"><paramref name="start"/> is after <paramref name="end"/>.</exception>
    /// <exception cref="KomlogdClientException">The agent refused the read.</exception>
    /// <example>
    /// <code>
    /// var lastHour = await session.GetAsync(new Datapoint("host.load.1m"), start: DateTimeOffset.UtcNow.AddHours(-1));
    /// </code>
    /// </example>
    public async Task<IReadOnlyList<Sample>> GetAsync(
        Metric metric,
        DateTimeOffset? start = null,
        DateTimeOffset? end = null,
        int? count = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(metric);
        var (from, to) = Sample.CheckRange(start, end, count);
        var request = new GetRequest(metric.Uri, TypeOf(metric), from?.ToUnixTimeMilliseconds(), to?.ToUnixTimeMilliseconds(), count);
        var rows = await CallAsync<WireSample[]>(ControlMethods.Get, [request], cancellationToken).ConfigureAwait(false);
        return rows.Select(w => new Sample(metric, DateTimeOffset.FromUnixTimeMilliseconds(w.T), metric.Kind == MetricKind.Datasource
            ? w.Value
            : decimal.Parse(w.Value, NumberStyles.Float, CultureInfo.InvariantCulture))).ToList();
    }

    private static string TypeOf(Metric m) => m.Kind == MetricKind.Datasource ? SampleTypes.Datasource : SampleTypes.Datapoint;

    // Sample's constructor made the value a string (datasource) or a decimal (datapoint).
    private static string ValueText(Sample s) => s.Value as string ?? ((decimal)s.Value).ToString(CultureInfo.InvariantCulture);

    private async Task<T> CallAsync<T>(string method, object?[] args, CancellationToken cancellationToken)
    {
        try
        {
            return await _rpc.InvokeWithCancellationAsync<T>(method, args, cancellationToken).ConfigureAwait(false);
        }
        catch (RemoteInvocationException e)
        {
            throw new KomlogdClientException(e.Message, e.ErrorCode, e);
        }
        catch (ConnectionLostException e)
        {
            throw new KomlogdClientException($"the agent closed the connection on {SocketPath} (is it stopping?)", null, e);
        }
    }

    /// <summary>Closes the connection.</summary>
    public void Dispose() => _rpc.Dispose();

    /// <summary>Closes the connection.</summary>
    public ValueTask DisposeAsync()
    {
        _rpc.Dispose();
        return ValueTask.CompletedTask;
    }
}
