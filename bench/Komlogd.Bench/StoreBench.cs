using System.Collections.Concurrent;
using System.Diagnostics;
using Komlogd.Core.Store;
using Komlogd.Core.Supervision;
using Komlogd.TestKit;
using Microsoft.Data.Sqlite;
using Serilog;

namespace Komlogd.Bench;

/// <summary>
/// Samples through the agent: a package's Insert to committed rows beside raw batched SQLite inserts into
/// the same schema; OnUpdate latency from an insert to the method's output in another venv; and
/// <c>cmd | komlogd -u</c> end to end with the agent up beside a bare <c>dotnet hello</c>.
/// </summary>
public sealed class StoreBench(bool quick) : IBenchmark
{
    public string Name => "store";

    public string Description => "data path: package inserts/s, OnUpdate latency, komlogd -u end to end";

    public async Task<IReadOnlyList<Figure>> RunAsync(CancellationToken ct)
    {
        using var dir = new TempDir("bench-store");
        // More than the host's 200,000-sample pending queue even in quick mode: the measured window then
        // includes the package producing samples, not only the agent draining a full queue.
        var count = quick ? 500_000 : 1_000_000;
        using var log = new LoggerConfiguration().WriteTo.File(dir["bench.log"]).CreateLogger();
        var hostDll = Repo.HostDll;

        // Raw floors: the same schema, pragmas and transaction size, no agent; one row per prepared statement
        // (the plain way), and 32 rows per statement (the store's own way, SampleStore.Insert).
        var raw = RawInsertsPerSecond(dir["raw/komlogd.db"], count, rowsPerStatement: 1);
        var rawMulti = RawInsertsPerSecond(dir["raw32/komlogd.db"], count, rowsPerStatement: 32);
        // SampleStore.Insert alone, in-process: new rows, then the same rows again (each one identical to the
        // stored one, which the store must tell apart: an identical sample triggers nothing).
        var (storeNew, storeSame) = StoreInsertsPerSecond(dir["store/komlogd.db"], count);
        // 1,000 uris interleaved (the export benchmark's load): in the host's 10,000-sample batches, and in
        // the agent's group commits of up to 50,000 rows (AgentServer.GroupRows).
        var manyUris = ManyUrisPerSecond(dir["many10k/komlogd.db"], quick ? 200_000 : 400_000, perCall: 10_000);
        var manyUrisGrouped = ManyUrisPerSecond(dir["many50k/komlogd.db"], quick ? 200_000 : 400_000, perCall: 50_000);

        // Days of a kpack_linux-sized package (130 uris, a commit a minute on a fake clock): through the hub,
        // which frees the store's page cache every 5 minutes, and through the store alone, which keeps it.
        var days = quick ? 1 : 3;
        var (freedMiB, freedMs) = LongRun(dir["days-hub/komlogd.db"], days, throughHub: true);
        var (keptMiB, keptMs) = LongRun(dir["days-store/komlogd.db"], days, throughHub: false);

        // Package Insert -> committed rows.
        var flood = await TestVenv.PublishAsync(dir["flood"], new TestVenv.Package("TestPkg.Flood"));
        var store = SampleStore.Open(dir["agent/komlogd.db"]);
        var hub = new SampleHub(store);
        Environment.SetEnvironmentVariable("FLOOD_COUNT", count.ToString(System.Globalization.CultureInfo.InvariantCulture));
        var launcher = new PluginHostLauncher(log, hub, hostDll);
        double perSecond;
        await using (var child = launcher.Launch("flood", flood))
        {
            await child.InitializeAsync(ct);
            // Steady state: from the first committed batch to the last (the child's start is the host bench's).
            while (hub.Inserted == 0)
            {
                await Task.Delay(1, ct);
            }
            var first = hub.Inserted;
            var watch = Stopwatch.StartNew();
            while (hub.Inserted < count)
            {
                await Task.Delay(1, ct);
            }
            perSecond = (count - first) / watch.Elapsed.TotalSeconds;
        }

        // OnUpdate latency: insert a.x here, the reactor venv writes b.y, a subscriber here hears it.
        var reactor = await TestVenv.PublishAsync(dir["reactor"], new TestVenv.Package("TestPkg.Reactor"));
        var latencies = new List<double>();
        await using (var child = launcher.Launch("reactor", reactor))
        {
            await child.InitializeAsync(ct);
            var heard = new Heard();
            hub.Subscribe(heard, ["b.y"]);
            for (var i = 0; i < (quick ? 200 : 1000) + 20; i++)
            {
                var t = 1_800_000_000_000L + i;
                var done = heard.Expect(t);
                var start = Stopwatch.GetTimestamp();
                hub.Insert([new NewSample("a.x", SampleType.Datapoint, t, "1")]);
                await done.WaitAsync(TimeSpan.FromSeconds(30), ct);
                if (i >= 20)
                {
                    latencies.Add(Stopwatch.GetElapsedTime(start).TotalMilliseconds);
                }
            }
        }
        store.Dispose();

        // cmd | komlogd -u with the agent up, beside a bare dotnet hello start.
        var hello = await Measure.BuildHelloAsync(dir["hello"]);
        var cli = new KomlogdCli(dir["home"]);
        cli.WriteConfig("- username: bench\n");
        var uriRuns = new List<double>();
        await using (var agent = AgentProcess.Start(cli.Home))
        {
            var socket = Path.Combine(cli.ConfigDir, "komlogd.sock");
            while (!File.Exists(socket))
            {
                await Task.Delay(20, ct);
            }
            for (var i = 0; i < (quick ? 5 : 15); i++)
            {
                var watch = Stopwatch.StartNew();
                var r = await cli.RunAsync(["-u", "bench.cli"], stdin: "42\n");
                uriRuns.Add(watch.Elapsed.TotalMilliseconds);
                if (r.ExitCode != 0)
                {
                    throw new InvalidOperationException(r.ToString());
                }
            }
            agent.Signal(AgentProcess.SIGTERM);
            await agent.WaitForExitAsync(TimeSpan.FromSeconds(30));
        }
        var helloMs = Measure.HelloStartMs(hello, quick ? 5 : 15);

        return
        [
            new($"SampleStore.Insert alone, new rows ({count:N0}, 10,000 per call)", storeNew, "rows/s", "raw SQLite batched insert, 32 rows per statement", rawMulti),
            new("SampleStore.Insert alone, 1,000 uris interleaved, 10,000 rows per call", manyUris, "rows/s", "the same, 1 uri", storeNew),
            new("SampleStore.Insert alone, 1,000 uris interleaved, 50,000 rows per call (group commit)", manyUrisGrouped, "rows/s", "the same, 1 uri", storeNew),
            new($"SampleStore.Insert alone, the same rows again (identical)", storeSame, "rows/s", "raw SQLite batched insert, 32 rows per statement", rawMulti),
            new($"package Insert → committed ({count:N0} samples)", perSecond, "samples/s", "raw SQLite batched insert, 1 row per statement", raw),
            new($"package Insert → committed ({count:N0} samples)", perSecond, "samples/s", "raw SQLite batched insert, 32 rows per statement", rawMulti),
            new($"store page cache after {days} day(s) of 130 uris, a commit a minute, through the hub (freed every 5 min)", freedMiB, "MiB", "the same through SampleStore alone (kept)", keptMiB),
            new("commit of 130 uris through the hub, cache freed every 5 min (mean)", freedMs, "ms", "SampleStore.Insert alone, cache kept", keptMs),
            new("OnUpdate latency p50 (insert in agent → method in child → committed output heard)", Measure.Percentile(latencies, 50), "ms"),
            new("OnUpdate latency p99", Measure.Percentile(latencies, 99), "ms"),
            new("cmd | komlogd -u uri, agent up (median)", Measure.Median(uriRuns), "ms", "bare dotnet hello start", helloMs),
        ];
    }

    private static double RawInsertsPerSecond(string file, int count, int rowsPerStatement)
    {
        SampleStore.Open(file).Dispose(); // the schema
        using var db = new SqliteConnection($"Data Source={file};Pooling=False");
        db.Open();
        using (var pragma = db.CreateCommand())
        {
            pragma.CommandText = "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL; INSERT INTO metrics(uri, type) VALUES ('raw.n', 2);";
            pragma.ExecuteNonQuery();
        }
        const int PerTransaction = 10_016; // the host's 10,000 batch, rounded to whole 32-row statements
        var watch = Stopwatch.StartNew();
        for (var done = 0; done < count;)
        {
            using var tx = db.BeginTransaction();
            using var multi = Insert(db, rowsPerStatement);
            using var single = Insert(db, 1);
            for (var inTx = 0; inTx < PerTransaction && done < count;)
            {
                var insert = count - done >= rowsPerStatement && PerTransaction - inTx >= rowsPerStatement ? multi : single;
                var rows = insert == multi ? rowsPerStatement : 1;
                for (var r = 0; r < rows; r++, done++, inTx++)
                {
                    insert.Parameters[2 * r].Value = 1_600_000_000_000L + done;
                    insert.Parameters[(2 * r) + 1].Value = done.ToString(System.Globalization.CultureInfo.InvariantCulture);
                }
                insert.ExecuteNonQuery();
            }
            tx.Commit();
        }
        return count / watch.Elapsed.TotalSeconds;
    }

    /// <summary>Rows per second through <see cref="SampleStore.Insert"/> in 10,000-row calls: new rows, then the same rows again.</summary>
    private static (double New, double Same) StoreInsertsPerSecond(string file, int count)
    {
        using var store = SampleStore.Open(file);
        var batches = Enumerable.Range(0, (count + 9_999) / 10_000)
            .Select(b => Enumerable.Range(b * 10_000, Math.Min(10_000, count - (b * 10_000)))
                .Select(i => new NewSample("store.n", SampleType.Datapoint, 1_600_000_000_000L + i, i.ToString(System.Globalization.CultureInfo.InvariantCulture)))
                .ToArray())
            .ToList();
        double Pass()
        {
            var watch = Stopwatch.StartNew();
            foreach (var batch in batches)
            {
                store.Insert(batch);
            }
            return count / watch.Elapsed.TotalSeconds;
        }
        return (Pass(), Pass());
    }

    /// <summary>Rows per second through <see cref="SampleStore.Insert"/>: each call a run of 1,000 uris, each uri one row every 20 ms.</summary>
    private static double ManyUrisPerSecond(string file, int count, int perCall)
    {
        using var store = SampleStore.Open(file);
        var uris = Enumerable.Range(0, 1_000).Select(i => $"load.s{i:D4}").ToArray();
        var batches = Enumerable.Range(0, count / perCall)
            .Select(b => Enumerable.Range(b * perCall, perCall)
                .Select(i => new NewSample(uris[i % 1_000], SampleType.Datapoint, 1_600_000_000_000L + (i / 1_000 * 20), "12.5"))
                .ToArray())
            .ToList();
        var watch = Stopwatch.StartNew();
        foreach (var batch in batches)
        {
            store.Insert(batch);
        }
        return batches.Count * perCall / watch.Elapsed.TotalSeconds;
    }

    /// <summary>
    /// <paramref name="days"/> of 130 uris committed once a minute of a fake clock, through a
    /// <see cref="SampleHub"/> (which frees the page cache every <see cref="SampleHub.CacheRelease"/>) or
    /// through the store alone: the cache held at the end, MiB, and the mean time of a commit, ms.
    /// </summary>
    private static (double HeldMiB, double MsPerCommit) LongRun(string file, int days, bool throughHub)
    {
        var clock = new Microsoft.Extensions.Time.Testing.FakeTimeProvider(DateTimeOffset.UnixEpoch);
        using var store = SampleStore.Open(file);
        var hub = new SampleHub(store, clock);
        var uris = Enumerable.Range(0, 130).Select(i => $"bench.host.m{i:D3}").ToArray();
        var batch = new NewSample[uris.Length];
        var commits = days * 24 * 60;
        var watch = Stopwatch.StartNew();
        for (var minute = 0; minute < commits; minute++)
        {
            for (var i = 0; i < uris.Length; i++)
            {
                batch[i] = new NewSample(uris[i], SampleType.Datapoint, 1_600_000_000_000L + (minute * 60_000L), "12.5");
            }
            if (throughHub)
            {
                hub.Insert(batch);
            }
            else
            {
                store.Insert(batch);
            }
            clock.Advance(TimeSpan.FromMinutes(1));
        }
        return (store.CacheBytes / 1048576.0, watch.Elapsed.TotalMilliseconds / commits);
    }

    /// <summary>A prepared <c>INSERT … VALUES (1, ?, ?), …</c> of <paramref name="rows"/> rows.</summary>
    private static SqliteCommand Insert(SqliteConnection db, int rows)
    {
        var insert = db.CreateCommand();
        insert.CommandText = "INSERT INTO samples(metric_id, t, value) VALUES " + string.Join(", ", Enumerable.Range(0, rows).Select(r => $"(1, $t{r}, $v{r})"));
        for (var r = 0; r < rows; r++)
        {
            insert.Parameters.Add($"$t{r}", SqliteType.Integer);
            insert.Parameters.Add($"$v{r}", SqliteType.Text);
        }
        insert.Prepare();
        return insert;
    }

    /// <summary>A subscriber that completes a task when a sample at an expected time arrives.</summary>
    private sealed class Heard : ISampleSubscriber
    {
        private readonly ConcurrentDictionary<long, TaskCompletionSource> _waiting = new();

        public Task Expect(long t) => _waiting.GetOrAdd(t, _ => new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).Task;

        public void OnSamples(IReadOnlyList<StoredSample> samples, string? ownRun)
        {
            foreach (var s in samples)
            {
                if (_waiting.TryRemove(SampleTime.ToMs(s.T), out var tcs))
                {
                    tcs.TrySetResult();
                }
            }
        }
    }
}
