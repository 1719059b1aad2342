using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;
using Komlogd.Core.Supervision;
using Komlogd.TestKit;
using Serilog;

namespace Komlogd.Bench;

/// <summary>
/// Real peers, in one run. supervisord (Debian's <c>supervisor</c>, installed by bench/run when missing)
/// supervising a child killed with SIGKILL, beside komlogd's supervisor doing the same to a plugin host, both
/// timed from the kill to the new child's first sign of life: its first output line under supervisord (the
/// child prints one as it starts; supervisord copies it to the child's log as it reads it), its first answer
/// on the channel under komlogd (<c>initialize</c>, with its packages loaded). Then collectd and
/// node-exporter beside the agent running kpack_linux (<see cref="PeerAgents"/>).
/// </summary>
public sealed partial class PeerBench(bool quick) : IBenchmark
{
    /// <summary><c>bench/run agents</c>: the collectd and node-exporter part alone.</summary>
    public sealed class AgentsOnly : IBenchmark
    {
        public string Name => "agents";

        public string Description => "collectd and node-exporter beside kpack_linux on its /proc path, same minutes: CPU per collection, values, RSS, PSS";

        public async Task<IReadOnlyList<Figure>> RunAsync(CancellationToken ct)
        {
            using var dir = new TempDir("bench-agents");
            var hello = await Measure.BuildHelloAsync(dir["hello"]);
            return await PeerAgents.RunAsync(dir, hello, Measure.HelloRssKiB(hello), 3, ct);
        }
    }

    public string Name => "peer";

    public string Description => "supervisord beside komlogd: kill to the new child's first sign of life; collectd and node-exporter beside kpack_linux: CPU, values, memory";

    public async Task<IReadOnlyList<Figure>> RunAsync(CancellationToken ct)
    {
        if (FindOnPath("supervisord") is null)
        {
            throw new InvalidOperationException("supervisord is not installed: bench/run installs Debian's 'supervisor' package (apt-get install -y supervisor)");
        }
        using var dir = new TempDir("bench-peer");
        var hello = await Measure.BuildHelloAsync(dir["hello"]);
        var runs = quick ? 3 : 8;

        // supervisord with one program: a dotnet child that stays up until killed.
        var conf = dir["supervisord.conf"];
        var log = dir["supervisord.log"];
        await File.WriteAllTextAsync(conf, $"""
            [supervisord]
            nodaemon=true
            logfile={log}
            pidfile={dir["supervisord.pid"]}
            loglevel=info

            [program:child]
            command=dotnet {hello} sleep
            startsecs=0
            autorestart=true
            startretries=100
            stdout_logfile={dir["child.out"]}
            stderr_logfile={dir["child.err"]}
            """, ct);
        using var supervisord = Process.Start(new ProcessStartInfo("supervisord", ["-c", conf]) { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true })!;
        var peer = new List<double>();
        double peerRss;
        try
        {
            var pid = await SpawnedPidAsync(log, 0, ct);
            var childOut = dir["child.out"];
            await Measure.UntilAsync(() => OutputLines(childOut) >= 1, TimeSpan.FromSeconds(30));
            for (var i = 0; i < runs; i++)
            {
                var seen = File.ReadAllText(log).Length;
                var lines = OutputLines(childOut);
                var watch = Stopwatch.StartNew();
                Process.GetProcessById(pid).Kill();
                // The new child's "hello", as supervisord wrote it to the child's log.
                await Measure.UntilAsync(() => OutputLines(childOut) > lines, TimeSpan.FromSeconds(30));
                peer.Add(watch.Elapsed.TotalMilliseconds);
                pid = await SpawnedPidAsync(log, seen, ct);
                await Task.Delay(300, ct);
            }
            peerRss = Measure.RssKiB(supervisord.Id);
        }
        finally
        {
            supervisord.Kill(entireProcessTree: true);
            await supervisord.WaitForExitAsync(ct);
        }

        // komlogd: the same kill, an agent-owned supervisor, a real plugin host child.
        var entry = await TestVenv.PublishAsync(dir["venv"], new TestVenv.Package("TestPkg.Basic"));
        using var serilog = new LoggerConfiguration().WriteTo.File(dir["komlogd.log"]).CreateLogger();
        var launcher = new PluginHostLauncher(serilog, hostDll: Repo.HostDll);
        var ours = new List<double>();
        // Every kill is a first failure (the child ran longer than the quick window), as supervisord sees it:
        // a Running child's first failure restarts at once; quick failures in a row would back off.
        var options = new SupervisionOptions { Backoff = new Backoff { Jitter = 0 }, QuickFailureWindow = TimeSpan.FromMilliseconds(200) };
        await using (var s = new VenvSupervisor("bench", entry, launcher, options, TimeProvider.System, serilog))
        {
            await s.StartAsync();
            await Measure.UntilAsync(() => s.Status.State == VenvState.Running);
            for (var i = 0; i < runs; i++)
            {
                var pid = s.Status.Pid!.Value;
                var watch = Stopwatch.StartNew();
                Process.GetProcessById(pid).Kill();
                await Measure.UntilAsync(() => s.Status is { State: VenvState.Running } st && st.Pid != pid);
                ours.Add(watch.Elapsed.TotalMilliseconds);
                await Task.Delay(300, ct);
            }
        }

        // Our agent's RSS with one running venv, for the supervisor-memory comparison.
        var agentRss = await AgentRssAsync(dir, ct);
        var helloRss = Measure.HelloRssKiB(hello);
        Console.Error.WriteLine($"peer: kill → first sign of life, komlogd {string.Join(", ", ours.Select(v => v.ToString("0", CultureInfo.InvariantCulture)))} ms; supervisord {string.Join(", ", peer.Select(v => v.ToString("0", CultureInfo.InvariantCulture)))} ms");
        var figures = new List<Figure>
        {
            new("komlogd kill → new child's first answer on the channel (median; initialize, packages loaded)", Measure.Median(ours), "ms", "supervisord kill → new child's first output line", Measure.Median(peer)),
            new("komlogd kill → first answer, slowest", ours.Max(), "ms", "supervisord kill → first output line, slowest", peer.Max()),
            new("komlogd agent RSS (one venv running)", agentRss / 1024, "MiB", "supervisord RSS", peerRss / 1024),
            new("komlogd agent RSS (one venv running)", agentRss / 1024, "MiB", "bare dotnet hello RSS", helloRss / 1024),
        };
        figures.AddRange(await PeerAgents.RunAsync(dir, hello, helloRss, 3, ct));
        return figures;
    }

    private static async Task<double> AgentRssAsync(TempDir dir, CancellationToken ct)
    {
        var (_, started) = await Measure.StartBasicAgentAsync(dir, "agent-home");
        await using var agent = started;
        await Task.Delay(1000, ct);
        var rss = Measure.RssKiB(agent.Pid);
        agent.Signal(AgentProcess.SIGTERM);
        await agent.WaitForExitAsync(TimeSpan.FromSeconds(30));
        return rss;
    }

    private static int OutputLines(string file) => File.Exists(file) ? File.ReadAllText(file).Count(c => c == '\n') : 0;

    /// <summary>Waits for supervisord's next "spawned: 'child' with pid N" after <paramref name="from"/> characters of its log.</summary>
    private static async Task<int> SpawnedPidAsync(string log, int from, CancellationToken ct)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (DateTime.UtcNow < deadline)
        {
            if (File.Exists(log))
            {
                var text = File.ReadAllText(log);
                if (text.Length > from && Spawned().Match(text[from..]) is { Success: true } m)
                {
                    return int.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture);
                }
            }
            await Task.Delay(1, ct);
        }
        throw new TimeoutException("supervisord did not spawn the child");
    }

    [GeneratedRegex(@"spawned: 'child' with pid (\d+)")]
    private static partial Regex Spawned();

    private static string? FindOnPath(string name) =>
        (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':').Select(d => Path.Combine(d, name)).FirstOrDefault(File.Exists);
}
