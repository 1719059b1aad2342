using System.Collections.Concurrent;
using Komlogd.PluginHost;
using Komlogd.Protocol;
using Komlogd.Sdk;

namespace Komlogd.PluginHost.Tests;

/// <summary>The host's scheduler with a fake clock and an in-memory agent: cron runs at its minutes, and only then.</summary>
public sealed class TransferSchedulerTests : IAsyncDisposable
{
    private readonly WatchedClock _time = new(new DateTimeOffset(2026, 3, 1, 10, 0, 30, TimeSpan.Zero));
    private readonly MemoryAgent _agent = new();
    private readonly CancellationTokenSource _stopping = new();
    private readonly HostRuntime _runtime;
    private readonly TransferScheduler _scheduler;
    private readonly ConcurrentQueue<(string Id, int Committed)> _runs = new();

    public TransferSchedulerTests()
    {
        _runtime = new HostRuntime(_agent, _time, TimeZoneInfo.Utc, _stopping.Token);
        _scheduler = _runtime.Scheduler;
        _scheduler.RunEnded += (id, n) => _runs.Enqueue((id, n));
    }

    private Task AdvanceUntil(Func<bool> condition, string what) =>
        Eventually.WaitAsync(() =>
        {
            if (condition())
            {
                return true;
            }
            _time.Advance(TimeSpan.FromSeconds(10));
            return false;
        }, what, TimeSpan.FromSeconds(30));

    [Fact]
    public async Task ACronMethodRunsAtEachMatchingMinuteWithThatTime()
    {
        var times = new ConcurrentQueue<DateTimeOffset>();
        var handle = TransferMethods.Bind((DateTimeOffset t) => { times.Enqueue(t); new Datapoint("cron.t").Insert(t, t.Minute); }, new CronSchedule(minute: "*/5"));

        await _scheduler.AddAsync(handle.Info, "test");
        await AdvanceUntil(() => times.Count >= 3, "three runs");

        Assert.Equal(
            [new DateTimeOffset(2026, 3, 1, 10, 5, 0, TimeSpan.Zero), new DateTimeOffset(2026, 3, 1, 10, 10, 0, TimeSpan.Zero), new DateTimeOffset(2026, 3, 1, 10, 15, 0, TimeSpan.Zero)],
            times.Take(3));
        await Eventually.WaitAsync(() => _agent.Inserted.Count >= 3, "the runs' samples");
        Assert.Equal(["5", "10", "15"], _agent.Inserted.Take(3).Select(s => s.Value));
        handle.Dispose();
    }

    [Fact]
    public async Task ExecOnLoadRunsOnceAtOnceThenFollowsTheSchedule()
    {
        var runs = 0;
        var handle = TransferMethods.Bind(() => { Interlocked.Increment(ref runs); }, new CronSchedule(minute: "0", hour: "12") { ExecOnLoad = true });

        await _scheduler.AddAsync(handle.Info, "test");

        Assert.Equal(1, runs);
        await _time.WaitForTimerAsync(new DateTimeOffset(2026, 3, 1, 12, 0, 0, TimeSpan.Zero), "the noon run");
        _time.Advance(TimeSpan.FromMinutes(119)); // 11:59:30
        Assert.Equal(1, runs);
        await AdvanceUntil(() => runs == 2, "the noon run");
        Assert.Equal(12, _time.GetUtcNow().Hour);
        handle.Dispose();
    }

    [Fact]
    public async Task ARunThatThrowsCommitsNothingAndTheNextRunStillCommits()
    {
        var n = 0;
        var handle = TransferMethods.Bind((DateTimeOffset t) =>
        {
            new Datapoint("x").Insert(t, 1);
            if (Interlocked.Increment(ref n) == 1)
            {
                throw new InvalidOperationException("first run fails");
            }
        }, new CronSchedule());

        await _scheduler.AddAsync(handle.Info, "test");
        await AdvanceUntil(() => _runs.Count >= 2, "two runs");

        Assert.Equal([-1, 1], _runs.Take(2).Select(r => r.Committed));
        Assert.Single(_agent.Inserted);
        Assert.Contains(_agent.Logs, l => l.Message.Contains("failed: InvalidOperationException: first run fails; its 1 samples were not committed", StringComparison.Ordinal));
        handle.Dispose();
    }

    [Fact]
    public async Task AnOnUpdateMethodSubscribesAndGetsTheUpdatedSamplesAndTheOthersLatest()
    {
        _agent.Stored.Add(new WireSample("other", 500, "datapoint", "7"));
        var seen = new TaskCompletionSource<(DateTimeOffset, IReadOnlyList<Sample>, IReadOnlyList<Sample>)>();
        var handle = TransferMethods.Bind(
            (DateTimeOffset t, IReadOnlyList<Sample> updated, IReadOnlyList<Sample> others) => { seen.TrySetResult((t, updated, others)); },
            new OnUpdateSchedule("a", "other"));

        await _scheduler.AddAsync(handle.Info, "test");
        _scheduler.OnUpdated([new WireSample("a", 1000, "datapoint", "1.5"), new WireSample("unrelated", 1000, "datapoint", "0")]);

        var (t, updated, others) = await seen.Task.WaitAsync(TimeSpan.FromSeconds(30));
        Assert.Equal(["a", "other"], _agent.Subscriptions);
        Assert.Equal(DateTimeOffset.FromUnixTimeMilliseconds(1000), t);
        Assert.Equal(1.5m, Assert.Single(updated).Value);
        Assert.Equal(7m, Assert.Single(others).Value);
        handle.Dispose();
    }

    [Fact]
    public async Task AMethodsOwnCommittedWritesDoNotRunItAgainButRunTheOthers()
    {
        var echoes = 0;
        var watched = new ConcurrentQueue<decimal>();
        // Writes to its own activation uri: without the rule it would run on its own write, forever.
        using var echo = TransferMethods.Bind((DateTimeOffset t, IReadOnlyList<Sample> updated) =>
        {
            Interlocked.Increment(ref echoes);
            new Datapoint("s.x").Insert(t.AddMilliseconds(1), (decimal)updated[0].Value + 1);
        }, new OnUpdateSchedule("s.x"));
        // Bound without a schedule: runs on the metric of its parameters.
        using var watcher = TransferMethods.Bind((IReadOnlyList<Sample> updated, Datapoint x) => { watched.Enqueue((decimal)updated[0].Value); }, parameters: new { x = new Datapoint("s.x") });
        await _scheduler.AddAsync(echo.Info, "test");
        await _scheduler.AddAsync(watcher.Info, "test");

        _scheduler.OnUpdated([new WireSample("s.x", 1000, "datapoint", "1")]);
        await Eventually.WaitAsync(() => _runs.Count(r => r.Id == echo.Info.Id) == 1 && watched.Count == 1, "both methods on the outside write");
        var batch = Assert.Single(_agent.Batches);
        Assert.Equal(echo.Info.Id, batch.Run);
        // The agent hands the echo's write back to this host named after the echo's run.
        _scheduler.OnUpdated([new WireSample("s.x", 1001, "datapoint", "2")], run: echo.Info.Id);
        await Eventually.WaitAsync(() => watched.Count == 2 && _scheduler.Stats.Running == 0, "the watcher on the echo's write");

        Assert.Equal(1, echoes);
        Assert.Equal([1m, 2m], watched);
        Assert.Equal(["s.x", "s.x"], _agent.Subscriptions);
    }

    [Fact]
    public async Task AReadInsideARunSeesTheRunsOwnInsertsOverTheStoredSamples()
    {
        _agent.Stored.Add(new WireSample("r.x", 1000, "datapoint", "1"));
        _agent.Stored.Add(new WireSample("r.x", 500, "datapoint", "0"));
        var reads = new TaskCompletionSource<(IReadOnlyList<Sample> Newest, IReadOnlyList<Sample> Before)>();
        using var handle = TransferMethods.Bind(async (DateTimeOffset t) =>
        {
            var x = new Datapoint("r.x");
            x.Insert(DateTimeOffset.FromUnixTimeMilliseconds(2000), 2);
            x.Insert(DateTimeOffset.FromUnixTimeMilliseconds(1000), 4);
            x.Insert(DateTimeOffset.FromUnixTimeMilliseconds(1000), 5); // a later insert at one time wins, as in the commit
            new Datapoint("r.other").Insert(DateTimeOffset.FromUnixTimeMilliseconds(1500), 9);
            reads.TrySetResult((await x.GetAsync(count: 2), await x.GetAsync(end: DateTimeOffset.FromUnixTimeMilliseconds(1500))));
        }, new DummySchedule());

        await _scheduler.AddAsync(handle.Info, "test");

        var (newest, before) = await reads.Task.WaitAsync(TimeSpan.FromSeconds(30));
        Assert.Equal([(2000L, 2m), (1000L, 5m)], newest.Select(s => (s.T.ToUnixTimeMilliseconds(), (decimal)s.Value)));
        Assert.Equal([(1000L, 5m), (500L, 0m)], before.Select(s => (s.T.ToUnixTimeMilliseconds(), (decimal)s.Value)));
    }

    [Fact]
    public async Task ADummyScheduleRunsOnceOnLoadAndSetsNoTimer()
    {
        var runs = 0;
        using var handle = TransferMethods.Bind(() => { Interlocked.Increment(ref runs); }, new DummySchedule());

        await _scheduler.AddAsync(handle.Info, "test");

        Assert.Equal(1, runs);
        Assert.Empty(_time.Waiting);
        Assert.Empty(_agent.Subscriptions);
    }

    [Fact]
    public async Task StatsCountARunFromTheUpdateThatStartsItToItsEnd()
    {
        var release = new TaskCompletionSource();
        using var handle = TransferMethods.Bind(async () => await release.Task, new OnUpdateSchedule("st.x"));
        await _scheduler.AddAsync(handle.Info, "test");

        _scheduler.OnUpdated([new WireSample("st.x", 1000, "datapoint", "1")]);

        // Counted when OnUpdated returns: a "runs" request read after an update never misses its run.
        Assert.Equal(new RunStats(0, 0, 1), _scheduler.Stats);
        release.SetResult();
        await Eventually.WaitAsync(() => _scheduler.Stats == new RunStats(1, 0, 0), "the run to end");
    }

    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync();
        await _runtime.DisposeAsync();
    }

    /// <summary>The agent's side of the channel, in memory.</summary>
    private sealed class MemoryAgent : IAgentChannel
    {
        public ConcurrentQueue<WireSample> Inserted { get; } = new();
        public ConcurrentQueue<SampleBatch> Batches { get; } = new();
        public List<WireSample> Stored { get; } = [];
        public List<string> Subscriptions { get; } = [];
        public ConcurrentQueue<LogEntry> Logs { get; } = new();

        public Task<int> InsertAsync(SampleBatch batch, CancellationToken cancellationToken)
        {
            Batches.Enqueue(batch);
            for (var i = 0; i < batch.Count; i++)
            {
                var m = batch.UriIndex[i];
                Inserted.Enqueue(new WireSample(batch.Uris[m], batch.T[i], batch.Types[m], batch.Values[i]));
            }
            return Task.FromResult(batch.Count);
        }

        public Task<IReadOnlyList<WireSample>> GetAsync(GetRequest request, CancellationToken cancellationToken) =>
            Task.FromResult<IReadOnlyList<WireSample>>(Stored
                .Where(s => s.Uri == request.Uri && (request.Start is null || s.T >= request.Start) && (request.End is null || s.T <= request.End))
                .OrderByDescending(s => s.T).Take(request.Count ?? int.MaxValue).ToList());

        public Task SubscribeAsync(IReadOnlyList<string> uris, CancellationToken cancellationToken)
        {
            Subscriptions.AddRange(uris);
            return Task.CompletedTask;
        }

        public Task UnsubscribeAsync(IReadOnlyList<string> uris, CancellationToken cancellationToken) => Task.CompletedTask;

        public Task LogAsync(LogEntry entry)
        {
            Logs.Enqueue(entry);
            return Task.CompletedTask;
        }
    }
}
