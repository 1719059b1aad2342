using Cronos;
using Komlogd.Protocol;
using Komlogd.Protocol.Runtime;
using Komlogd.Sdk;
using Komlogd.Sdk.Hosting;

namespace Komlogd.PluginHost;

/// <summary>
/// Runs a host's transfer methods: on update of their activation uris (the agent pushes updates for the
/// uris this host subscribed to, whoever wrote them), on their cron schedule (Cronos, local time zone, the
/// injected clock), and once on load when asked. Runs of one method never overlap; each run's inserts are
/// committed together when it returns, and a run that throws commits nothing and is logged. A method's own
/// committed writes do not run it again (the agent names the run in their updates), so a method that writes
/// to its activation uri runs once per outside update, not in a loop; other methods do run on them.
/// </summary>
internal sealed class TransferScheduler(IAgentChannel agent, HostRuntime runtime, TimeProvider time, TimeZoneInfo zone, CancellationToken stopping)
{
    private readonly Dictionary<string, Registration> _methods = [];
    private readonly Lock _gate = new();
    private readonly HashSet<Task> _runs = [];
    private long _ended;
    private long _failed;
    private int _running;

    private sealed class Registration(TransferMethodInfo info, string package)
    {
        public TransferMethodInfo Info { get; } = info;
        public string Package { get; } = package;
        public SemaphoreSlim RunLock { get; } = new(1, 1);
        public CancellationTokenSource Removed { get; } = new();
    }

    /// <summary>Completes when a run ends; for tests and logs. Arguments: method id, committed sample count or -1 on failure.</summary>
    public event Action<string, int>? RunEnded;

    /// <summary>Runs so far, and those started and not ended (queued behind an earlier run of their method included).</summary>
    public RunStats Stats => new(Interlocked.Read(ref _ended), Interlocked.Read(ref _failed), Volatile.Read(ref _running));

    public int Count
    {
        get
        {
            lock (_gate)
            {
                return _methods.Count;
            }
        }
    }

    /// <summary>
    /// Starts scheduling a method. Does not block: subscribing and exec-on-load happen in the background,
    /// and <see cref="AddAsync"/> logs its own failures.
    /// </summary>
    public void Add(TransferMethodInfo info, string package) => _ = AddAsync(info, package);

    public Task AddAsync(TransferMethodInfo info, string package) => AddAsync([info], package);

    /// <summary>
    /// Schedules a package's methods: all are subscribed before any runs on load, so a method run on load
    /// that writes another's activation uri runs that one (SignalTests' TestPkg.Runs: two methods taking turns).
    /// Completes when the runs on load have ended. Logs its own failures, per method.
    /// </summary>
    public async Task AddAsync(IReadOnlyList<TransferMethodInfo> methods, string package)
    {
        var added = new List<Registration>(methods.Count);
        foreach (var info in methods)
        {
            var r = new Registration(info, package);
            lock (_gate)
            {
                if (!_methods.TryAdd(info.Id, r))
                {
                    continue;
                }
            }
            try
            {
                if (info.Schedule is OnUpdateSchedule update)
                {
                    await agent.SubscribeAsync(update.ActivationUris, stopping).ConfigureAwait(false);
                }
                added.Add(r);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                await Log(LogLevels.Error, r, $"cannot schedule {info.Name}: {e.Message}", e).ConfigureAwait(false);
            }
        }
        var now = time.GetUtcNow();
        await Task.WhenAll(added.Where(r => r.Info.Schedule.ExecOnLoad).Select(r => RunAsync(r, now, []))).ConfigureAwait(false);
        foreach (var r in added.Where(r => r.Info.Schedule is CronSchedule))
        {
            try
            {
                _ = CronLoopAsync(r, CronExpression.Parse(((CronSchedule)r.Info.Schedule).ToCronExpression()));
            }
            catch (CronFormatException e)
            {
                await Log(LogLevels.Error, r, $"cannot schedule {r.Info.Name}: {e.Message}", e).ConfigureAwait(false);
            }
        }
    }

    public void Remove(TransferMethodInfo info)
    {
        Registration? r;
        lock (_gate)
        {
            if (!_methods.Remove(info.Id, out r))
            {
                return;
            }
        }
        r.Removed.Cancel();
        if (info.Schedule is OnUpdateSchedule update)
        {
            _ = UnsubscribeAsync(r, update.ActivationUris);
        }
    }

    private async Task UnsubscribeAsync(Registration r, IReadOnlyList<string> uris)
    {
        try
        {
            await agent.UnsubscribeAsync(uris, CancellationToken.None).ConfigureAwait(false);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            await Log(LogLevels.Warning, r, $"unbinding {r.Info.Name}: the agent did not take the unsubscribe: {e.Message}", null).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// New samples from the agent: run each on-update method whose activation uris they touch, except the
    /// method whose run committed them (<paramref name="run"/>, its id; null when another writer did).
    /// </summary>
    public void OnUpdated(IReadOnlyList<WireSample> wire, string? run = null)
    {
        var samples = wire.Select(WireSamples.FromWire).OrderByDescending(s => s.T).ToList();
        List<Registration> methods;
        lock (_gate)
        {
            methods = [.. _methods.Values];
        }
        foreach (var r in methods)
        {
            if (r.Info.Schedule is not OnUpdateSchedule update || string.Equals(r.Info.Id, run, StringComparison.Ordinal))
            {
                continue;
            }
            var mine = samples.Where(s => update.ActivationUris.Contains(s.Metric.Uri, StringComparer.Ordinal)).ToList();
            if (mine.Count > 0)
            {
                _ = RunAsync(r, mine.Max(s => s.T), mine);
            }
        }
    }

    /// <summary>Runs the method at each occurrence until it is removed or the host stops. Never throws: RunAsync logs a run's failure.</summary>
    private async Task CronLoopAsync(Registration r, CronExpression expression)
    {
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(stopping, r.Removed.Token);
        while (!linked.IsCancellationRequested)
        {
            var now = time.GetUtcNow();
            if (expression.GetNextOccurrence(now, zone) is not { } next)
            {
                await Log(LogLevels.Warning, r, $"{r.Info.Name}: its cron schedule has no next occurrence; it will not run again", null).ConfigureAwait(false);
                return;
            }
            try
            {
                await Task.Delay(next - now, time, linked.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }
            await RunAsync(r, next, []).ConfigureAwait(false);
        }
    }

    /// <summary>Completes when every run started so far has ended (committed, failed or abandoned): the host's stop waits for it.</summary>
    public Task IdleAsync()
    {
        lock (_gate)
        {
            return Task.WhenAll(_runs);
        }
    }

    private Task RunAsync(Registration r, DateTimeOffset t, IReadOnlyList<Sample> updated)
    {
        var run = RunOnceAsync(r, t, updated);
        lock (_gate)
        {
            if (!run.IsCompleted)
            {
                _runs.Add(run);
            }
        }
        _ = run.ContinueWith(done =>
        {
            lock (_gate)
            {
                _runs.Remove(done);
            }
        }, CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
        return run;
    }

    private async Task RunOnceAsync(Registration r, DateTimeOffset t, IReadOnlyList<Sample> updated)
    {
        // Counted before the first await: OnUpdated has started every run it causes before it returns, so
        // a "runs" request after an update never reads 0 for a run the update is about to start.
        Interlocked.Increment(ref _running);
        try
        {
            await r.RunLock.WaitAsync(stopping).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            Interlocked.Decrement(ref _running);
            return;
        }
        var buffer = new RunBuffer(runtime);
        try
        {
            var others = new List<Sample>();
            foreach (var uri in r.Info.OtherUris(updated))
            {
                var latest = await agent.GetAsync(new GetRequest(uri, null, null, t.ToUnixTimeMilliseconds(), 1), stopping).ConfigureAwait(false);
                others.AddRange(latest.Select(WireSamples.FromWire));
            }
            using (KomlogdRuntime.Use(buffer))
            {
                await TransferMethodInvoker.InvokeAsync(r.Info, t, updated, others, stopping).ConfigureAwait(false);
            }
            var samples = buffer.Samples;
            // Not cancelled by the stop: the run returned, so its samples are committed (the host's stop
            // waits for it, IdleAsync). A stop while it runs is its to heed (the token it was given).
            await runtime.CommitRunAsync(samples, r.Info.Id, CancellationToken.None).ConfigureAwait(false);
            Ended(failed: false);
            RunEnded?.Invoke(r.Info.Id, samples.Count);
        }
        catch (OperationCanceledException) when (stopping.IsCancellationRequested)
        {
        }
        catch (Exception e)
        {
            await Log(LogLevels.Error, r, $"transfer method {r.Info.Name} failed: {e.GetType().Name}: {e.Message}; its {buffer.Samples.Count} samples were not committed", e).ConfigureAwait(false);
            Ended(failed: true);
            RunEnded?.Invoke(r.Info.Id, -1);
        }
        finally
        {
            Interlocked.Decrement(ref _running);
            r.RunLock.Release();
            // A method's first runs compile its paths; what the compiler freed is returned here, once.
            NativeHeap.TrimAfterCompilation();
        }
    }

    private void Ended(bool failed)
    {
        Interlocked.Increment(ref _ended);
        if (failed)
        {
            Interlocked.Increment(ref _failed);
        }
    }

    /// <summary>Logs through the agent; a lost channel (the host is ending) loses the line, never the caller's loop.</summary>
    private async Task Log(string level, Registration r, string message, Exception? e)
    {
        try
        {
            await agent.LogAsync(new LogEntry(level, r.Package, message, e?.ToString())).ConfigureAwait(false);
        }
        catch (Exception lost) when (lost is ObjectDisposedException or IOException)
        {
        }
    }
}
