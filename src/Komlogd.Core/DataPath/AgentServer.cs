using System.Threading.Channels;
using Komlogd.Core.Store;
using Komlogd.Protocol;
using Serilog;
using Serilog.Events;
using StreamJsonRpc;

namespace Komlogd.Core.DataPath;

/// <summary>
/// The agent's end of one plugin host's channel, beside the host's own HostServer: what the host may call
/// (log, <c>samples.insert</c>, <c>samples.get</c>, subscribe) and the updates the agent pushes to it. Also
/// the hub's subscriber for that host. Its two loops (the insert writer and the update sender) never end
/// silently: a failure is answered, logged, or both, and the loop goes on.
/// </summary>
public sealed class AgentServer : ISampleSubscriber, IDisposable
{
    private readonly ILogger _log;
    private readonly SampleHub? _hub;
    private readonly Func<string, object?[], Task> _notify;
    // Updates leave in commit order, one notification at a time, without blocking the writer.
    private readonly Channel<WireSample[]> _updates = Channel.CreateUnbounded<WireSample[]>(new UnboundedChannelOptions { SingleReader = true });
    private readonly Channel<(NewSample[] Rows, TaskCompletionSource<int> Done)> _writes =
        Channel.CreateUnbounded<(NewSample[], TaskCompletionSource<int>)>(new UnboundedChannelOptions { SingleReader = true });

    /// <param name="log">The venv's log.</param>
    /// <param name="hub">The store's hub; null for an agent without a store (tests of supervision).</param>
    /// <param name="notify">Sends a notification to the host (method, arguments).</param>
    public AgentServer(ILogger log, SampleHub? hub, Func<string, object?[], Task> notify)
    {
        _log = log;
        _hub = hub;
        _notify = notify;
        _ = SendUpdatesAsync();
        _ = Task.Run(WriteLoopAsync);
    }

    [JsonRpcMethod(HostMethods.Log)]
    public void Log(LogEntry entry)
    {
        var level = entry.Level switch
        {
            LogLevels.Debug => LogEventLevel.Debug,
            LogLevels.Warning => LogEventLevel.Warning,
            LogLevels.Error => LogEventLevel.Error,
            _ => LogEventLevel.Information,
        };
        var source = entry.Package ?? "host";
        if (entry.Exception is null)
        {
            _log.Write(level, "{Package}: {Message}", source, entry.Message);
        }
        else
        {
            _log.Write(level, "{Package}: {Message}\n{RemoteException}", source, entry.Message, entry.Exception);
        }
    }

    /// <summary>
    /// Answers when the batch is committed. The commit runs on this host's writer loop, not on the RPC
    /// reader, so the next batch is read and parsed while this one commits; one loop per host keeps its
    /// batches in order.
    /// </summary>
    [JsonRpcMethod(HostMethods.Insert)]
    public Task<int> InsertAsync(SampleBatch batch)
    {
        var rows = SampleBatchRows.Read(batch);
        var done = new TaskCompletionSource<int>(TaskCreationOptions.RunContinuationsAsynchronously);
        if (!_writes.Writer.TryWrite((rows, done)))
        {
            done.SetException(new LocalRpcException("the agent is stopping") { ErrorCode = ErrorCodes.AgentStopping });
        }
        return done.Task;
    }

    /// <summary>
    /// Commits each batch and answers it. A batch that breaks a rule is refused (<see cref="ErrorCodes.Refused"/>);
    /// one the store cannot write (disk full, database busy) is answered <see cref="ErrorCodes.StoreFailed"/>
    /// and the next batch is tried again: the store's error shows in the agent's status until a write succeeds
    /// (StoreFailureTests.AFullDiskFailsThePackagesRunShowsInStatusLosesNothingAndRecovers).
    /// </summary>
    private async Task WriteLoopAsync()
    {
        await foreach (var (rows, done) in _writes.Reader.ReadAllAsync().ConfigureAwait(false))
        {
            try
            {
                Hub().Insert(rows);
                done.SetResult(rows.Length);
            }
            catch (StoreFailedException e)
            {
                _log.Error("{Count} samples not stored: {Error}", rows.Length, e.Message);
                done.SetException(new LocalRpcException(e.Message) { ErrorCode = ErrorCodes.StoreFailed });
            }
            catch (KomlogdException e)
            {
                done.SetException(new LocalRpcException(e.Message) { ErrorCode = ErrorCodes.Refused });
            }
            catch (LocalRpcException e)
            {
                done.SetException(e);
            }
            catch (Exception e)
            {
                // Not a rule and not the store saying why: a bug. Answered and logged, and the loop goes on,
                // so the host's later inserts are not left waiting forever.
                _log.Error(e, "{Count} samples not stored: unexpected {Error}", rows.Length, e.Message);
                done.SetException(new LocalRpcException($"the agent failed to store the batch: {e.GetType().Name}: {e.Message}") { ErrorCode = ErrorCodes.StoreFailed });
            }
        }
    }

    [JsonRpcMethod(HostMethods.Get)]
    public WireSample[] Get(GetRequest request) =>
        Hub().Get(request.Uri,
                request.Start is { } s ? SampleTime.FromMs(s) : null,
                request.End is { } e ? SampleTime.FromMs(e) : null,
                request.Count)
            .Where(x => request.Type is null || x.Type.Name() == request.Type)
            .Select(ToWire).ToArray();

    [JsonRpcMethod(HostMethods.Subscribe)]
    public void Subscribe(string[] uris) => Hub().Subscribe(this, uris);

    [JsonRpcMethod(HostMethods.Unsubscribe)]
    public void Unsubscribe(string[] uris) => Hub().Unsubscribe(this, uris);

    public void OnSamples(IReadOnlyList<StoredSample> samples) => _updates.Writer.TryWrite(samples.Select(ToWire).ToArray());

    private async Task SendUpdatesAsync()
    {
        await foreach (var batch in _updates.Reader.ReadAllAsync().ConfigureAwait(false))
        {
            try
            {
                await _notify(HostMethods.Updated, [batch]).ConfigureAwait(false);
            }
            catch (Exception e) when (e is ConnectionLostException or ObjectDisposedException or IOException)
            {
                // The host is gone; its supervisor sees the exit and this server is disposed.
                return;
            }
            catch (Exception e)
            {
                _log.Error(e, "{Count} updates not sent to the host: {Error}", batch.Length, e.Message);
            }
        }
    }

    private SampleHub Hub() => _hub ?? throw new LocalRpcException("this agent has no store") { ErrorCode = ErrorCodes.NoStore };

    private static WireSample ToWire(StoredSample s) => new(s.Uri, SampleTime.ToMs(s.T), s.Type.Name(), s.Value);

    public void Dispose()
    {
        _hub?.Remove(this);
        _updates.Writer.TryComplete();
        _writes.Writer.TryComplete();
    }
}
