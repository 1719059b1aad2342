using Komlogd.Core.Store;
using Komlogd.Core.Supervision;
using Komlogd.Protocol;
using Komlogd.Protocol.Channel;
using Serilog;
using Serilog.Events;

namespace Komlogd.Core.DataPath;

/// <summary>
/// The agent's end of one plugin host's channel, beside the host's own HostServer: what the host may call
/// (log, <c>samples.insert</c>, <c>samples.get</c>, subscribe) and the updates the agent pushes to it. Also
/// the hub's subscriber for that host. Its two loops (the insert writer and the update sender) never end
/// silently: a failure is answered, logged, or both, and the loop goes on.
/// </summary>
/// <remarks>
/// A batch a transfer-method run wrote names the run (<see cref="SampleBatch.Run"/>): the hub hands the name
/// back with the updates that batch causes to this same host, which then does not run that method on its own
/// writes (docs/protocol.md, "Self-triggering"). Other hosts get the updates without it.
/// </remarks>
internal sealed class AgentServer : ISampleSubscriber, IChildTarget, IRpcTarget
{
    private readonly ILogger _log;
    private readonly SampleHub? _hub;
    private readonly RpcChannel _rpc;
    // Updates leave in commit order, one notification at a time, without blocking the writer. A runs
    // question goes the same way, so the host answers it after every update committed before it.
    private readonly SingleReaderQueue<Outgoing> _updates = new();
    private readonly SingleReaderQueue<PendingWrite> _writes = new();
    private int _queuedUpdates;

    /// <summary>A <c>samples.insert</c> batch waiting for the writer, and who waits for its answer.</summary>
    private sealed record PendingWrite(NewSample[] Rows, string? Run, IReadOnlyDictionary<string, IReadOnlyList<string>?>? Supplies, TaskCompletionSource<int> Done);

    /// <summary>
    /// The most rows one group commit takes (<see cref="WriteLoopAsync"/>): five of the host's 10,000-sample
    /// batches. Measured in docs/benchmarks.md ("store", group commit).
    /// </summary>
    internal const int GroupRows = 50_000;

    /// <summary>An update notification, or a runs question (<see cref="RunsAsync"/>) and who waits for its answer.</summary>
    private sealed record Outgoing(WireSample[]? Samples, string? Run, TaskCompletionSource<ChildRuns>? Asked);

    /// <param name="log">The venv's log.</param>
    /// <param name="hub">The store's hub; null for an agent without a store (tests of supervision).</param>
    /// <param name="rpc">The host's channel: notifications and the runs question go to the host over it.</param>
    public AgentServer(ILogger log, SampleHub? hub, RpcChannel rpc)
    {
        _log = log;
        _hub = hub;
        _rpc = rpc;
        _ = SendUpdatesAsync();
        _ = Task.Run(WriteLoopAsync);
    }

    /// <summary>The host's calls, on its channel's reader thread (docs/protocol.md lists them).</summary>
    public Task<RpcResult>? Invoke(string method, RpcArgs args)
    {
        switch (method)
        {
            case HostMethods.Log:
                Log(args.Get(0, HostWire.LogEntry));
                return Answered;
            case HostMethods.Insert:
                return AnswerAsync(InsertAsync(args.Get(0, HostWire.SampleBatch)), HostWire.Int32);
            case HostMethods.Get:
                return Task.FromResult(RpcResult.Of(Get(args.Get(0, HostWire.GetRequest)), HostWire.WireSamples));
            case HostMethods.Subscribe:
                Subscribe(args.Get(0, HostWire.StringList));
                return Answered;
            case HostMethods.Unsubscribe:
                Unsubscribe(args.Get(0, HostWire.StringList));
                return Answered;
            default:
                return null;
        }
    }

    private static readonly Task<RpcResult> Answered = Task.FromResult(RpcResult.Null);

    private static async Task<RpcResult> AnswerAsync<T>(Task<T> answer, WireCodec<T> codec) =>
        RpcResult.Of(await answer.ConfigureAwait(false), codec);

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
    public Task<int> InsertAsync(SampleBatch batch)
    {
        var rows = SampleBatchRows.Read(batch);
        var supplies = SampleBatchRows.ReadSupplies(batch);
        var done = new TaskCompletionSource<int>(TaskCreationOptions.RunContinuationsAsynchronously);
        if (!_writes.TryWrite(new PendingWrite(rows, batch.Run, supplies, done)))
        {
            done.SetException(new RpcErrorException(ErrorCodes.AgentStopping, "the agent is stopping"));
        }
        return done.Task;
    }

    /// <summary>
    /// Commits each batch and answers it. A batch that breaks a rule is refused (<see cref="ErrorCodes.Refused"/>);
    /// one the store cannot write (disk full, database busy) is answered <see cref="ErrorCodes.StoreFailed"/>
    /// and the next batch is tried again: the store's error shows in the agent's status until a write succeeds
    /// (StoreFailureTests.AFullDiskFailsThePackagesRunShowsInStatusLosesNothingAndRecovers).
    /// </summary>
    /// <remarks>
    /// Batches that queued while the last commit ran, of the same run (plain inserts: none), commit in one
    /// transaction, up to <see cref="GroupRows"/> rows: with many uris a commit costs the index pages it
    /// touches more than its rows (docs/store.md, "Group commit"). Each batch is still answered on its own,
    /// and all or nothing of each is stored: when the group breaks a rule, each batch is tried alone, so only
    /// the batch that broke it is refused (AgentServerTests).
    /// </remarks>
    private async Task WriteLoopAsync()
    {
        var reader = _writes;
        var group = new List<PendingWrite>();
        while (await reader.WaitToReadAsync().ConfigureAwait(false))
        {
            group.Clear();
            var rows = 0;
            while (rows < GroupRows && reader.TryPeek(out var next) && (group.Count == 0 || next.Run == group[0].Run) && reader.TryRead(out next))
            {
                group.Add(next);
                rows += next.Rows.Length;
            }
            Commit(group);
        }
    }

    private void Commit(IReadOnlyList<PendingWrite> group)
    {
        var rows = group.Count == 1 ? group[0].Rows : [.. group.SelectMany(w => w.Rows)];
        try
        {
            Hub().Insert(rows, SampleConflict.Replace, this, group[0].Run, Supplies(group));
            foreach (var w in group)
            {
                w.Done.SetResult(w.Rows.Length);
            }
        }
        catch (KomlogdException e) when (e is not StoreFailedException && group.Count > 1)
        {
            // A rule broken somewhere in the group: each batch alone, so only the bad one is refused.
            foreach (var w in group)
            {
                Commit([w]);
            }
        }
        catch (KomlogdException e)
        {
            if (e is StoreFailedException)
            {
                _log.Error("{Count} samples not stored: {Error}", rows.Length, e.Message);
            }
            Fail(group, StoreErrors.ToRpc(e));
        }
        catch (RpcErrorException e)
        {
            Fail(group, e);
        }
        catch (Exception e)
        {
            // Not a rule and not the store saying why: a bug. Answered and logged, and the loop goes on,
            // so the host's later inserts are not left waiting forever.
            _log.Error(e, "{Count} samples not stored: unexpected {Error}", rows.Length, e.Message);
            Fail(group, new RpcErrorException(ErrorCodes.StoreFailed, $"the agent failed to store the batch: {e.GetType().Name}: {e.Message}"));
        }
    }

    /// <summary>The datasources' supplies the group's batches carry; a later batch's word on a datasource wins.</summary>
    private static IReadOnlyDictionary<string, IReadOnlyList<string>?>? Supplies(IReadOnlyList<PendingWrite> group)
    {
        if (group.Count == 1 || group.All(w => w.Supplies is null))
        {
            return group[0].Supplies;
        }
        var merged = new Dictionary<string, IReadOnlyList<string>?>(StringComparer.Ordinal);
        foreach (var (uri, supplies) in group.Where(w => w.Supplies is not null).SelectMany(w => w.Supplies!))
        {
            merged[uri] = supplies;
        }
        return merged;
    }

    private static void Fail(IReadOnlyList<PendingWrite> group, Exception e)
    {
        foreach (var w in group)
        {
            w.Done.SetException(e);
        }
    }

    public WireSample[] Get(GetRequest request) => SampleReads.Read(Hub(), request);

    public void Subscribe(IReadOnlyList<string> uris) => Hub().Subscribe(this, uris);

    public void Unsubscribe(IReadOnlyList<string> uris) => Hub().Unsubscribe(this, uris);

    public void OnSamples(IReadOnlyList<StoredSample> samples, string? ownRun)
    {
        // Counted before it is queued: the sender never sends more than were counted.
        Interlocked.Increment(ref _queuedUpdates);
        if (!_updates.TryWrite(new Outgoing(samples.Select(SampleReads.ToWire).ToArray(), ownRun, null)))
        {
            Interlocked.Decrement(ref _queuedUpdates);
        }
    }

    /// <summary>
    /// The host's runs, asked after every update committed for it before this call, so a run one of them
    /// starts is counted. Updates committed meanwhile, which the host had not received when it answered,
    /// are counted as pending.
    /// </summary>
    public Task<ChildRuns> RunsAsync(CancellationToken cancellationToken)
    {
        var asked = new TaskCompletionSource<ChildRuns>(TaskCreationOptions.RunContinuationsAsynchronously);
        if (!_updates.TryWrite(new Outgoing(null, null, asked)))
        {
            throw new ChildLostException("the host's channel is closed");
        }
        return asked.Task.WaitAsync(cancellationToken);
    }

    private async Task SendUpdatesAsync()
    {
        var sent = 0;
        while (await _updates.WaitToReadAsync().ConfigureAwait(false))
        {
            while (_updates.TryRead(out var item))
            {
                try
                {
                    if (item.Asked is { } asked)
                    {
                        await AskRunsAsync(asked, sent).ConfigureAwait(false);
                        continue;
                    }
                    sent++;
                    await _rpc.NotifyAsync(HostMethods.Updated, WireArgs.Of(item.Samples!, HostWire.WireSamples, item.Run, HostWire.String)).ConfigureAwait(false);
                }
                catch (Exception e) when (e is ObjectDisposedException or IOException)
                {
                    // The host is gone; its supervisor sees the exit and this server is disposed. Nobody waits
                    // forever for an answer that cannot come.
                    item.Asked?.TrySetException(new ChildLostException(e.Message, e));
                    while (_updates.TryRead(out var rest))
                    {
                        rest.Asked?.TrySetException(new ChildLostException(e.Message, e));
                    }
                    return;
                }
                catch (Exception e)
                {
                    item.Asked?.TrySetException(e);
                    _log.Error(e, "{Count} updates not sent to the host: {Error}", item.Samples?.Length ?? 0, e.Message);
                }
            }
        }
    }

    /// <summary>
    /// Awaited on the sender loop: no update overtakes the question. Every update queued before it was sent
    /// (<paramref name="sent"/> of them so far); those queued since wait behind it and are the pending ones.
    /// </summary>
    private async Task AskRunsAsync(TaskCompletionSource<ChildRuns> asked, int sent)
    {
        try
        {
            var stats = await _rpc.InvokeAsync(HostMethods.Runs, WireArgs.None, HostWire.RunStats, CancellationToken.None).ConfigureAwait(false);
            asked.TrySetResult(new ChildRuns(stats.Total, stats.Failed, stats.Running, Volatile.Read(ref _queuedUpdates) - sent));
        }
        catch (RemoteErrorException e)
        {
            asked.TrySetException(new ChildRefusedException(e.Message, e));
        }
    }

    private SampleHub Hub() => _hub ?? throw new RpcErrorException(ErrorCodes.NoStore, "this agent has no store");

    public void Dispose()
    {
        _hub?.Remove(this);
        _updates.Complete();
        _writes.Complete();
    }
}
