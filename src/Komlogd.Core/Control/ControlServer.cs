using System.Net.Sockets;
using Komlogd.Core.Store;
using Komlogd.Core.Supervision;
using Serilog;
using StreamJsonRpc;

namespace Komlogd.Core.Control;

/// <summary>
/// The agent's control socket (<c>komlogd.sock</c>, mode 0600 inside the 0700 config dir): JSON-RPC for
/// <c>komlogd -u</c>, status and the console. Serves any number of clients at once; a client that goes
/// away mid-call only ends its own connection.
/// </summary>
public sealed class ControlServer : IAsyncDisposable
{
    private readonly Socket _listener;
    private readonly string _path;
    private readonly SampleHub _hub;
    private readonly Supervisor? _supervisor;
    private readonly string _configFile;
    private readonly DateTimeOffset _startedAt;
    private readonly ILogger _log;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _accept;

    public ControlServer(string path, string configFile, SampleHub hub, Supervisor? supervisor, TimeProvider time, ILogger log)
    {
        _path = path;
        _configFile = configFile;
        _hub = hub;
        _supervisor = supervisor;
        _startedAt = time.GetUtcNow();
        _log = log;
        // The agent holds the config dir's lock, so a socket file here is a dead agent's: replace it.
        File.Delete(path);
        _listener = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        _listener.Bind(new UnixDomainSocketEndPoint(path));
        File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        _listener.Listen(64);
        _accept = AcceptLoopAsync();
    }

    private async Task AcceptLoopAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            Socket client;
            try
            {
                client = await _listener.AcceptAsync(_stop.Token).ConfigureAwait(false);
            }
            catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException or SocketException)
            {
                return;
            }
            _ = ServeAsync(client);
        }
    }

    private async Task ServeAsync(Socket client)
    {
        try
        {
            await using var stream = new NetworkStream(client, ownsSocket: true);
            using var rpc = new JsonRpc(new HeaderDelimitedMessageHandler(stream, stream, new SystemTextJsonFormatter()));
            rpc.AddLocalRpcTarget(new Endpoint(this));
            rpc.StartListening();
            await rpc.Completion.WaitAsync(_stop.Token).ConfigureAwait(false);
        }
        catch (Exception e) when (e is OperationCanceledException or IOException or SocketException or ConnectionLostException or ObjectDisposedException)
        {
            _log.Debug("Control client ended: {Error}", e.Message);
        }
    }

    public AgentStatus Status() => new(
        Environment.ProcessId,
        SampleTime.Format(_startedAt),
        _configFile,
        (_supervisor?.Venvs ?? []).Select(v => v.Status).Select(s => new VenvStatusDto(
            s.Venv, s.State.ToString(), s.Pid, s.Restarts, SampleTime.Format(s.Since), s.LastError,
            s.Packages.Select(p => $"{p.Name} {p.Version}").ToList())).ToList());

    private sealed class Endpoint(ControlServer server)
    {
        [JsonRpcMethod(ControlMethods.Insert)]
        public long[] Insert(ControlSample[] samples)
        {
            var now = SampleTime.ToMs(DateTimeOffset.UtcNow);
            var rows = samples.Select(s => new NewSample(s.Uri, s.Type == "datapoint" ? SampleType.Datapoint : SampleType.Datasource, s.T ?? now, s.Value)).ToList();
            try
            {
                return server._hub.Insert(rows, samples.Any(s => s.T is null) ? SampleConflict.NextFreeMillisecond : SampleConflict.Replace);
            }
            catch (KomlogdException e)
            {
                throw new LocalRpcException(e.Message) { ErrorCode = 10 };
            }
        }

        [JsonRpcMethod(ControlMethods.Status)]
        public AgentStatus Status() => server.Status();
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        _listener.Dispose();
        await _accept.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        File.Delete(_path);
    }
}
