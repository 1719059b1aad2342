using System.Diagnostics;
using Komlogd.Core.Supervision;
using Komlogd.Protocol;
using Komlogd.TestKit;
using Serilog;

namespace Komlogd.Bench;

/// <summary>
/// The plugin host: cold start to first answer and crash to Running again beside a bare <c>dotnet hello</c>
/// start; ping round trips beside a raw pipe round trip through <c>cat</c>; child RSS beside hello's.
/// </summary>
public sealed class HostBench(bool quick) : IBenchmark
{
    public string Name => "host";

    public string Description => "plugin host: cold start, crash to Running, ping round trip, memory";

    public async Task<IReadOnlyList<Figure>> RunAsync(CancellationToken ct)
    {
        using var dir = new TempDir("bench-host");
        var hello = await Measure.BuildHelloAsync(dir["hello"]);
        var entry = await TestVenv.PublishAsync(dir["venv"], new TestVenv.Package("TestPkg.Basic"));
        using var log = new LoggerConfiguration().WriteTo.File(dir["host.log"]).CreateLogger();
        var launcher = new PluginHostLauncher(log, hostDll: Repo.HostDll);
        var runs = quick ? 5 : 15;

        Measure.HelloStartMs(hello, 2); // warm the disk cache for both
        var helloMs = Measure.HelloStartMs(hello, runs);
        var helloRss = Measure.HelloRssKiB(hello);

        var cold = new List<double>();
        var ready = new List<double>();
        double childRss = 0;
        // Two launches untimed: the runner's own first-use JIT of Process, JsonRpc and the launcher is not
        // the child's start.
        for (var i = -2; i < runs; i++)
        {
            var (answered, loaded, rss) = await StartOnceAsync(launcher, entry, ct);
            if (i >= 0)
            {
                cold.Add(answered);
                ready.Add(loaded);
            }
            childRss = rss;
        }

        // Ping round trips on one child: the first ones after start (ReadyToRun code and tier-0 JIT of the
        // generic instantiations ReadyToRun cannot hold), then steady state: the agent pings every 5 s for
        // the agent's life, so after a few minutes the path runs tier-1 code. 5,000 pings and a second's
        // pause let the tiering compile finish.
        var early = new List<double>();
        var pings = new List<double>();
        var n = quick ? 2000 : 10000;
        await using (var child = launcher.Launch("bench", entry))
        {
            await child.InitializeAsync(ct);
            await PingsAsync(child, 200, null, ct);
            await PingsAsync(child, n, early, ct);
            await PingsAsync(child, 5000, null, ct);
            await Task.Delay(TimeSpan.FromSeconds(1), ct);
            await PingsAsync(child, n, pings, ct);
        }
        var rawPipe = RawPipeRoundTrips(n);

        // Crash -> Running again, with the supervisor's real policy (a Running child's first failure restarts
        // at once).
        var restarts = new List<double>();
        var supervisor = new VenvSupervisor("bench", entry, launcher, new SupervisionOptions { Backoff = new Backoff { Jitter = 0 } }, TimeProvider.System, log);
        await using (supervisor)
        {
            await supervisor.StartAsync();
            await Measure.UntilAsync(() => supervisor.Status.State == VenvState.Running);
            for (var i = 0; i < (quick ? 3 : 8); i++)
            {
                var pid = supervisor.Status.Pid!.Value;
                var watch = Stopwatch.StartNew();
                Process.GetProcessById(pid).Kill();
                await Measure.UntilAsync(() => supervisor.Status is { State: VenvState.Running } s && s.Pid != pid);
                restarts.Add(watch.Elapsed.TotalMilliseconds);
                // A child that ran under the quick-failure window counts toward Fatal: let this one age.
                await Task.Delay(TimeSpan.FromSeconds(0.2), ct);
                await supervisor.RestartAsync();
                await Measure.UntilAsync(() => supervisor.Status.State == VenvState.Running);
            }
        }

        var coldMs = Measure.Median(cold);
        return
        [
            new("child cold start → first ping answered (median)", coldMs, "ms", "bare dotnet hello start", helloMs),
            new("child cold start → packages loaded (median)", Measure.Median(ready), "ms", "bare dotnet hello start", helloMs),
            new("crash → Running again (median)", Measure.Median(restarts), "ms", "child cold start → loaded", Measure.Median(ready)),
            new("ping round trip p50, steady state", Measure.Percentile(pings, 50), "µs", "raw pipe round trip p50", Measure.Percentile(rawPipe, 50)),
            new("ping round trip p99, steady state", Measure.Percentile(pings, 99), "µs", "raw pipe round trip p99", Measure.Percentile(rawPipe, 99)),
            new("ping round trip p50, first pings after start", Measure.Percentile(early, 50), "µs", "raw pipe round trip p50", Measure.Percentile(rawPipe, 50)),
            new("idle child RSS", childRss / 1024, "MiB", "bare dotnet hello RSS", helloRss / 1024),
        ];
    }

    /// <summary>
    /// One child from launch to its first ping answered and to its packages loaded, and its RSS then. A
    /// pause before the launch lets the runner's background tiering and GC settle, so the child has the
    /// machine as it has when an idle agent restarts it.
    /// </summary>
    private static async Task<(double Answered, double Loaded, double RssKiB)> StartOnceAsync(PluginHostLauncher launcher, string entry, CancellationToken ct)
    {
        await Task.Delay(TimeSpan.FromMilliseconds(300), ct);
        var watch = Stopwatch.StartNew();
        await using var child = launcher.Launch("bench", entry);
        await child.PingAsync(ct);
        var answered = watch.Elapsed.TotalMilliseconds;
        await child.InitializeAsync(ct);
        return (answered, watch.Elapsed.TotalMilliseconds, Measure.RssKiB(child.Pid));
    }

    private static async Task PingsAsync(IChild child, int count, List<double>? times, CancellationToken ct)
    {
        for (var i = 0; i < count; i++)
        {
            var t = Stopwatch.GetTimestamp();
            await child.PingAsync(ct);
            times?.Add(Stopwatch.GetElapsedTime(t).TotalMicroseconds);
        }
    }

    /// <summary>One byte out and back through <c>cat</c>: the channel's floor.</summary>
    private static List<double> RawPipeRoundTrips(int n)
    {
        using var cat = Process.Start(new ProcessStartInfo("cat") { RedirectStandardInput = true, RedirectStandardOutput = true, UseShellExecute = false })!;
        var input = cat.StandardInput.BaseStream;
        var output = cat.StandardOutput.BaseStream;
        var one = new byte[1];
        var times = new List<double>(n);
        for (var i = 0; i < n + 200; i++)
        {
            var t = Stopwatch.GetTimestamp();
            input.Write(one);
            input.Flush();
            _ = output.Read(one, 0, 1);
            if (i >= 200)
            {
                times.Add(Stopwatch.GetElapsedTime(t).TotalMicroseconds);
            }
        }
        cat.StandardInput.Close();
        cat.WaitForExit();
        return times;
    }
}
