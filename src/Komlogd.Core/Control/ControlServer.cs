using System.Text;
using Komlogd.Core.DataPath;
using Komlogd.Core.Store;
using Komlogd.Core.Supervision;
using Komlogd.Protocol;
using Komlogd.Protocol.Channel;
using Komlogd.Protocol.Control;
using Serilog;

namespace Komlogd.Core.Control;

/// <summary>
/// The agent's control socket (<c>komlogd.sock</c>, mode 0600 inside the 0700 config dir): JSON-RPC for
/// <c>komlogd -u</c>, status and the console. Serves any number of clients at once; a client that goes
/// away mid-call only ends its own connection. Its loops (accept, one per client) end only
/// when it is disposed; anything else that stops one is logged. Each client's connection is an
/// <see cref="RpcChannel"/> (the channel both ends of the host channel use) with its records read and written
/// through <see cref="ControlWireJson"/>, the client's own contracts: StreamJsonRpc, which served it before, was about 6 MiB of the
/// running agent's memory (docs/benchmarks.md, "footprint").
/// </summary>
public sealed class ControlServer : IAsyncDisposable
{
    private readonly UnixSocket _listener;
    private readonly string _path;
    private readonly SampleHub _hub;
    private readonly Supervisor? _supervisor;
    private readonly string _configFile;
    private readonly DateTimeOffset _startedAt;
    private readonly ILogger _log;
    private readonly TimeProvider _time;
    private readonly CancellationTokenSource _stop = new();
    private readonly Thread _accept;

    public ControlServer(string path, string configFile, SampleHub hub, Supervisor? supervisor, TimeProvider time, ILogger log)
    {
        _path = path;
        _configFile = configFile;
        _hub = hub;
        _supervisor = supervisor;
        _time = time;
        _startedAt = time.GetUtcNow();
        _log = log;
        if (Encoding.UTF8.GetByteCount(path) is var bytes && bytes > UnixSocket.MaxPathBytes)
        {
            throw new KomlogdException(
                $"the agent's control socket {path} would be {bytes} bytes long, and a Unix socket's path is at most {UnixSocket.MaxPathBytes}: "
                + "put komlogd.yaml in a directory with a shorter path (komlogd -c FILE); nothing was started", ExitCodes.Failure);
        }
        // The agent holds the config dir's lock, so a socket file here is a dead agent's: replace it.
        File.Delete(path);
        try
        {
            _listener = UnixSocket.Listen(path, backlog: 64);
        }
        catch (IOException e)
        {
            throw new KomlogdException($"the agent's control socket cannot be made: {e.Message}; nothing was started", ExitCodes.Failure);
        }
        File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        _accept = new Thread(AcceptLoop) { IsBackground = true, Name = "komlogd control" };
        _accept.Start();
    }

    /// <summary>
    /// Blocked in <c>accept</c> on a thread of its own (the socket is libc's, <see cref="UnixSocket"/>) until
    /// <see cref="DisposeAsync"/> shuts the listener down.
    /// </summary>
    private void AcceptLoop()
    {
        while (!_stop.IsCancellationRequested)
        {
            UnixSocket? client;
            try
            {
                client = _listener.Accept();
            }
            catch (IOException e) when (!_stop.IsCancellationRequested)
            {
                // Out of file descriptors, say: this client is lost, the socket keeps listening.
                _log.Error("Control socket: accept failed: {Error}", e.Message);
                _stop.Token.WaitHandle.WaitOne(TimeSpan.FromMilliseconds(100));
                continue;
            }
            catch (Exception e)
            {
                if (!_stop.IsCancellationRequested)
                {
                    _log.Error(e, "Control socket: no longer accepting clients: {Error}; clients cannot reach this agent until it restarts", e.Message);
                }
                return;
            }
            if (client is null)
            {
                return;
            }
            _ = ServeAsync(client);
        }
    }

    /// <summary>One client's connection. Never throws: a client's failure ends only its connection.</summary>
    private async Task ServeAsync(UnixSocket client)
    {
        try
        {
            await using var stream = client.AsStream();
            var rpc = new RpcChannel(stream, stream, line => _log.Warning("Control socket: {Line}", line), "komlogd", "the client");
            rpc.Start(new Endpoint(this));
            try
            {
                await rpc.Completion.WaitAsync(_stop.Token).ConfigureAwait(false);
            }
            finally
            {
                // Ends the reader too, which is blocked in a read of this socket (a client still connected
                // when the agent stops), then closes it.
                client.Shutdown();
                rpc.Close();
            }
        }
        catch (Exception e) when (e is OperationCanceledException or IOException or ObjectDisposedException)
        {
            _log.Debug("Control client ended: {Error}", e.Message);
        }
        catch (Exception e)
        {
            _log.Error(e, "Control client ended by an unexpected error: {Error}", e.Message);
        }
    }

    /// <summary>What <c>komlogd reload</c> runs; set by the agent.</summary>
    public Func<CancellationToken, Task<IReadOnlyList<string>>>? Reload { get; init; }

    /// <summary>Every export block's status; set by the agent.</summary>
    public Func<IReadOnlyList<ExportStatusDto>>? Exports { get; init; }

    /// <summary>The agent's status; each running venv's runs are asked of its child (at most 2 s, concurrently).</summary>
    public async Task<AgentStatus> StatusAsync()
    {
        var venvs = _supervisor?.Venvs ?? [];
        var runs = await Task.WhenAll(venvs.Select(v => v.RunsAsync(TimeSpan.FromSeconds(2)))).ConfigureAwait(false);
        return Status(venvs, runs);
    }

    /// <summary>The agent's status without asking children for their runs: for /metrics, which must not wait on a child.</summary>
    public AgentStatus Status()
    {
        var venvs = _supervisor?.Venvs ?? [];
        return Status(venvs, new ChildRuns?[venvs.Count]);
    }

    private AgentStatus Status(IReadOnlyList<VenvSupervisor> venvs, IReadOnlyList<ChildRuns?> runs)
    {
        var now = _time.GetUtcNow();
        return new AgentStatus(
            Environment.ProcessId,
            SampleTime.Format(_startedAt),
            _configFile,
            Math.Round((now - _startedAt).TotalSeconds, 1),
            _hub.StoreBytes,
            Math.Round(_hub.SamplesPerSecond, 1),
            _hub.Inserted,
            venvs.Select((v, i) => ToDto(v.Status, now, runs[i])).ToList(),
            Exports?.Invoke() ?? [],
            _hub.StoreError);
    }

    private static VenvStatusDto ToDto(VenvStatus s, DateTimeOffset now, ChildRuns? runs = null) => new(
        s.Venv, s.State.ToString(), s.Pid, s.Restarts, SampleTime.Format(s.Since), Math.Round((now - s.Since).TotalSeconds, 1), s.LastError,
        s.Packages.Select(p => new PackageDto(p.Name, p.Version, p.Error)).ToList(),
        runs is null ? null : new RunsDto(runs.Total, runs.Failed, runs.Running, runs.Pending));

    private VenvSupervisor Venv(string name) =>
        _supervisor?.Find(name) ?? throw new RpcErrorException(ErrorCodes.NoSuchVenv,
            $"no venv '{name}'; venvs: {string.Join(", ", (_supervisor?.Venvs ?? []).Select(v => v.Venv).DefaultIfEmpty("none"))}");

    private sealed class Endpoint(ControlServer server) : IRpcTarget
    {
        /// <summary>
        /// A client's calls, on its connection's reader thread, one at a time (docs/protocol.md, "Control socket").
        /// Their records by hand (ControlWire, HostWire), not the serializer: its metadata stayed in the agent after
        /// the first call.
        /// </summary>
        public Task<RpcResult>? Invoke(string method, RpcArgs args) => method switch
        {
            ControlMethods.Insert => Now(Insert(args.Get(0, ControlWire.Samples)), ControlWire.Times),
            ControlMethods.Identify => Now(Identify(args.Get(0, ControlWire.IdentifyRequest)), ControlWire.IdentifyResult),
            ControlMethods.Get => Now(Get(args.Get(0, HostWire.GetRequest)), HostWire.WireSamples),
            ControlMethods.Status => Later(server.StatusAsync(), ControlWire.AgentStatus),
            // Not cancelled by the client going away: a reload half done is not undone either.
            ControlMethods.Reload => Later(ReloadAsync(CancellationToken.None), HostWire.StringList),
            ControlMethods.Start => Later(StartAsync(args.Get(0, HostWire.String)!), ControlWire.VenvStatus),
            ControlMethods.Stop => Later(StopAsync(args.Get(0, HostWire.String)!), ControlWire.VenvStatus),
            ControlMethods.Restart => Later(RestartAsync(args.Get(0, HostWire.String)!), ControlWire.VenvStatus),
            _ => null,
        };

        private static Task<RpcResult> Now<T>(T value, WireCodec<T> codec) => Task.FromResult(RpcResult.Of(value, codec));

        private static async Task<RpcResult> Later<T>(Task<T> answer, WireCodec<T> codec) => RpcResult.Of(await answer.ConfigureAwait(false), codec);

        public long[] Insert(ControlSample[] samples)
        {
            var now = SampleTime.ToMs(DateTimeOffset.UtcNow);
            var rows = new List<NewSample>(samples.Length);
            Dictionary<string, IReadOnlyList<string>?>? supplies = null;
            foreach (var s in samples)
            {
                if (s.Supplies is { } given)
                {
                    (supplies ??= new(StringComparer.Ordinal))[s.Uri] = given.Names;
                }
                // Not a silent default: a misspelt type would have stored numbers as text.
                if (!SampleTypeNames.TryParse(s.Type, out var type))
                {
                    throw new RpcErrorException(ErrorCodes.Refused, $"uri '{s.Uri}': type '{s.Type}' must be datasource or datapoint; nothing was stored");
                }
                rows.Add(new NewSample(s.Uri, type, s.T ?? now, s.Value));
            }
            try
            {
                return server._hub.Insert(rows, samples.Any(s => s.T is null) ? SampleConflict.NextFreeMillisecond : SampleConflict.Replace, supplies: supplies);
            }
            catch (KomlogdException e)
            {
                if (e is StoreFailedException)
                {
                    server._log.Error("Control socket: {Count} samples not stored: {Error}", rows.Count, e.Message);
                }
                throw StoreErrors.ToRpc(e);
            }
        }

        public IdentifyResult Identify(IdentifyRequest request)
        {
            try
            {
                return server._hub.Identify(request);
            }
            catch (KomlogdException e)
            {
                if (e is StoreFailedException)
                {
                    server._log.Error("Control socket: identify {Uri} failed: {Error}", request.Uri, e.Message);
                }
                throw StoreErrors.ToRpc(e);
            }
        }

        /// <summary>Samples of one uri, newest first, as the host channel's <c>samples.get</c> reads them.</summary>
        public WireSample[] Get(GetRequest request) => SampleReads.Read(server._hub, request);

        public async Task<IReadOnlyList<string>> ReloadAsync(CancellationToken cancellationToken)
        {
            var reload = server.Reload ?? throw new RpcErrorException(ErrorCodes.CannotReload, "this agent cannot reload");
            try
            {
                return await reload(cancellationToken).ConfigureAwait(false);
            }
            catch (KomlogdException e)
            {
                throw new RpcErrorException(ErrorCodes.Refused, e.Message);
            }
        }

        public async Task<VenvStatusDto> StartAsync(string venv)
        {
            var v = server.Venv(venv);
            await v.StartAsync().ConfigureAwait(false);
            return ToDto(v.Status, server._time.GetUtcNow());
        }

        public async Task<VenvStatusDto> StopAsync(string venv)
        {
            var v = server.Venv(venv);
            await v.StopAsync().ConfigureAwait(false);
            return ToDto(v.Status, server._time.GetUtcNow());
        }

        public async Task<VenvStatusDto> RestartAsync(string venv)
        {
            var v = server.Venv(venv);
            await v.RestartAsync().ConfigureAwait(false);
            return ToDto(v.Status, server._time.GetUtcNow());
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        _listener.Shutdown();
        _accept.Join();
        _listener.Dispose();
        File.Delete(_path);
    }
}
