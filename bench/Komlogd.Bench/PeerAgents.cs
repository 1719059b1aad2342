using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Komlogd.TestKit;

namespace Komlogd.Bench;

/// <summary>
/// The monitoring agents a user would weigh komlogd against, in one run: collectd 5 and node-exporter 1
/// (Debian's <c>collectd-core</c> and <c>prometheus-node-exporter</c>, installed by bench/run where missing),
/// each limited to the areas samples/kpack_linux covers (cpu and load, memory, paging and swap, disks,
/// filesystems, network), beside komlogd's agent running kpack_linux on its /proc path. All three run
/// through the same minutes: CPU per collection counts everything the process did in the window (timers,
/// pings, GC), divided by the collections it made; values per collection; RSS and PSS at the end.
/// Two floors are measured in the same run: the CPU of an idle bare <c>dotnet hello</c> through the same
/// minutes (what any .NET process spends doing nothing: the runtime's finalizer thread wakes every 10 s on
/// Linux), and the PSS of two idle hellos once the agent has stopped (what any two .NET processes take
/// beside this bench's own, the floor of an agent and one child).
/// </summary>
internal static class PeerAgents
{
    public const string Collectd = "/usr/sbin/collectd";
    public const string NodeExporter = "/usr/bin/prometheus-node-exporter";

    /// <summary>collectd's default interval; node-exporter is scraped as often.</summary>
    private const int IntervalSeconds = 10;

    private const string Prefix = "pkg.kpack_linux.bench.system.resources";

    public static async Task<IReadOnlyList<Figure>> RunAsync(TempDir dir, string helloDll, double helloRssKiB, int minutes, CancellationToken ct)
    {
        foreach (var tool in (string[])[Collectd, NodeExporter])
        {
            if (!File.Exists(tool))
            {
                throw new InvalidOperationException($"{tool} is not installed: bench/run installs Debian's collectd-core and prometheus-node-exporter");
            }
        }

        // komlogd with kpack_linux, /proc path (sysstat may be installed: the source is forced).
        var package = dir["kpack_linux"];
        TestVenv.CopyDir(Path.Combine(Repo.Root, "samples", "kpack_linux"), package);
        var cli = new KomlogdCli(dir["kpack-home"]);
        cli.WriteConfig($"- username: bench\n- package:\n    install: {package}\n");
        await using var agent = AgentProcess.Start(cli.Home, [],
            new Dictionary<string, string> { ["KPACK_LINUX_HOSTNAME"] = "bench", ["KPACK_LINUX_SOURCE"] = "proc" });
        // The run at load and the first minute's run: start-up and the first compilations are behind.
        await Measure.UntilAsync(() => Collections(cli).Count >= 2, TimeSpan.FromMinutes(6), pollMs: 1000);
        var child = await ChildPidAsync(cli);

        // The peers start now and run through the same minutes.
        var port = FreePort.Next();
        using var collectd = Start(Collectd, ["-f", "-C", WriteCollectdConf(dir)]);
        using var exporter = Start(NodeExporter,
        [
            $"--web.listen-address=127.0.0.1:{port}", "--web.disable-exporter-metrics", "--collector.disable-defaults",
            "--collector.cpu", "--collector.loadavg", "--collector.meminfo", "--collector.vmstat",
            "--collector.diskstats", "--collector.filesystem", "--collector.netdev",
        ]);
        using var idle = Measure.IdleHello(helloDll);
        try
        {
            return await MeasureAsync(dir, cli, agent, child, collectd, exporter, idle, port, helloDll, helloRssKiB, minutes, ct);
        }
        finally
        {
            collectd.Kill();
            exporter.Kill();
            idle.Kill();
        }
    }

    private static async Task<IReadOnlyList<Figure>> MeasureAsync(TempDir dir, KomlogdCli cli, AgentProcess agent, int child, Process collectd, Process exporter, Process idle, int port, string helloDll, double helloRssKiB, int minutes, CancellationToken ct)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(10) };
        var metricsUrl = new Uri($"http://127.0.0.1:{port}/metrics");
        await Measure.UntilAsync(() => TryScrape(http, metricsUrl) is not null, TimeSpan.FromSeconds(30), pollMs: 100);
        // The venv's install and the hello's build leave the compiler server and MSBuild nodes running for
        // minutes: .NET processes that share the runtime's pages and would lower every PSS below.
        await CliWrap.Cli.Wrap("dotnet").WithArguments(["build-server", "shutdown"]).WithValidation(CliWrap.CommandResultValidation.None).ExecuteAsync(ct);
        await Task.Delay(TimeSpan.FromSeconds(IntervalSeconds + 2), ct); // collectd's first read is done too

        // The window: from second 30 of a minute to second 30 of another (kpack_linux runs at second 0), no
        // komlogd command inside it (a command is agent work).
        while (DateTime.Now.Second != 29)
        {
            await Task.Delay(200, ct);
        }
        using var childCpu = CpuMeter.For(child, "child");
        using var agentCpu = CpuMeter.For(agent.Pid, "agent");
        using var collectdCpu = CpuMeter.For(collectd.Id, "collectd");
        using var exporterCpu = CpuMeter.For(exporter.Id, "node-exporter");
        using var idleCpu = CpuMeter.For(idle.Id, "idle-hello");
        while (DateTime.Now.Second != 30)
        {
            await Task.Delay(200, ct);
        }
        var before = (Child: Cpu("the kpack_linux child", childCpu), Agent: Cpu("the agent", agentCpu), Collectd: Cpu("collectd", collectdCpu), Exporter: Cpu("node-exporter", exporterCpu), Idle: Cpu("the idle hello", idleCpu));
        var collectdReads0 = CollectdReads(dir);
        var watch = Stopwatch.StartNew();
        var scrapes = 0;
        var exporterValues = 0;
        var window = TimeSpan.FromMinutes(minutes);
        while (watch.Elapsed < window)
        {
            var tick = Task.Delay(TimeSpan.FromSeconds(IntervalSeconds), ct);
            if (TryScrape(http, metricsUrl) is { } body)
            {
                scrapes++;
                exporterValues = body.Split('\n').Count(l => l.Length > 0 && l[0] != '#');
            }
            var left = window - watch.Elapsed;
            if (left > TimeSpan.Zero)
            {
                await Task.WhenAny(tick, Task.Delay(left, ct));
            }
        }
        if (!File.Exists($"/proc/{child}/stat"))
        {
            throw new InvalidOperationException($"the kpack_linux child ({child}) ended during the window (now {await ChildPidAsync(cli)}): see {cli.Home}/.komlogd/log; run again");
        }
        var after = (Child: Cpu("the kpack_linux child", childCpu), Agent: Cpu("the agent", agentCpu), Collectd: Cpu("collectd", collectdCpu), Exporter: Cpu("node-exporter", exporterCpu), Idle: Cpu("the idle hello", idleCpu));
        var collectdReads = CollectdReads(dir) - collectdReads0;
        var memory = (Child: Measure.RssKiB(child), ChildPss: Measure.PssKiB(child), Agent: Measure.RssKiB(agent.Pid), AgentPss: Measure.PssKiB(agent.Pid),
            Collectd: Measure.RssKiB(collectd.Id), CollectdPss: Measure.PssKiB(collectd.Id), Exporter: Measure.RssKiB(exporter.Id), ExporterPss: Measure.PssKiB(exporter.Id));
        var kpack = Collections(cli);
        agent.Signal(AgentProcess.SIGTERM);
        await agent.WaitForExitAsync(TimeSpan.FromSeconds(30));
        var helloPairPss = HelloPairPssKiB(helloDll) / 1024;
        var restartedPss = await RestartedPssKiBAsync(cli) / 1024;

        var childPerCollection = (after.Child - before.Child) / minutes;
        var agentPerCollection = (after.Agent - before.Agent) / minutes;
        var exporterPerScrape = (after.Exporter - before.Exporter) / Math.Max(scrapes, 1);
        var collectdPerRead = (after.Collectd - before.Collectd) / Math.Max(collectdReads, 1);
        var komlogdPss = (memory.ChildPss + memory.AgentPss) / 1024;
        var idlePerMinute = (after.Idle - before.Idle) / minutes;
        Console.Error.WriteLine($"peer: {minutes} kpack_linux collections, {scrapes} node-exporter scrapes, {collectdReads} collectd reads in the window; kpack_linux collections stored: {kpack.Count}; CPU read from {childCpu.Source}");
        return
        [
            new($"kpack_linux child CPU per collection (/proc path, mean of {minutes} one-minute collections, pings included)", childPerCollection, "ms", "node-exporter CPU per scrape, same collectors, same minutes", exporterPerScrape),
            new("kpack_linux child CPU per collection", childPerCollection, "ms", $"collectd CPU per {IntervalSeconds} s read, same areas, same minutes", collectdPerRead),
            new("kpack_linux child CPU per collection", childPerCollection, "ms", "an idle bare dotnet hello's CPU per minute, same minutes", idlePerMinute),
            new("komlogd agent CPU per collection (store, pings, same minutes)", agentPerCollection, "ms", "node-exporter CPU per scrape", exporterPerScrape),
            new("values per collection: kpack_linux datapoints", kpack.Values, "values", "node-exporter samples per scrape", exporterValues),
            new("values per collection: kpack_linux datapoints", kpack.Values, "values", "collectd values per read", CollectdValues(dir)),
            new("komlogd agent + kpack_linux child PSS", komlogdPss, "MiB", "node-exporter RSS", memory.Exporter / 1024),
            new("komlogd agent + kpack_linux child PSS", komlogdPss, "MiB", "collectd RSS", memory.Collectd / 1024),
            new("komlogd agent + kpack_linux child PSS", komlogdPss, "MiB", "two idle bare dotnet hellos' PSS", helloPairPss),
            new("komlogd agent + kpack_linux child PSS after a restart (venv installed: no install code loaded)", restartedPss, "MiB", "node-exporter RSS", memory.Exporter / 1024),
            new("two idle bare dotnet hellos' PSS (the floor of an agent and a child)", helloPairPss, "MiB", "node-exporter RSS", memory.Exporter / 1024),
            new("kpack_linux child RSS", memory.Child / 1024, "MiB", "bare dotnet hello RSS", helloRssKiB / 1024),
            new("kpack_linux child PSS", memory.ChildPss / 1024, "MiB", "node-exporter PSS", memory.ExporterPss / 1024),
            new("komlogd agent RSS (kpack_linux running)", memory.Agent / 1024, "MiB", "node-exporter RSS", memory.Exporter / 1024),
            new("komlogd agent PSS (kpack_linux running)", memory.AgentPss / 1024, "MiB", "collectd PSS", memory.CollectdPss / 1024),
        ];
    }

    /// <summary>
    /// The agent started again over the same home, as after a reboot or an upgrade: its venv is installed, so
    /// nothing of the installer (NuGet's configuration, XML, HTTP, SHA-256 through OpenSSL) is loaded. Agent +
    /// child PSS after its first collection, KiB.
    /// </summary>
    private static async Task<double> RestartedPssKiBAsync(KomlogdCli cli)
    {
        var stored = Collections(cli).Count;
        await using var agent = AgentProcess.Start(cli.Home, [],
            new Dictionary<string, string> { ["KPACK_LINUX_HOSTNAME"] = "bench", ["KPACK_LINUX_SOURCE"] = "proc" });
        // The run at load, then the minute's: both behind, as in the window.
        await Measure.UntilAsync(() => Collections(cli).Count >= stored + 2, TimeSpan.FromMinutes(4), pollMs: 1000);
        var child = await ChildPidAsync(cli);
        var pss = Measure.PssKiB(agent.Pid) + Measure.PssKiB(child);
        agent.Signal(AgentProcess.SIGTERM);
        await agent.WaitForExitAsync(TimeSpan.FromSeconds(30));
        return pss;
    }

    /// <summary>PSS of two idle hellos side by side, summed (they share the runtime's pages as an agent and its child do), KiB.</summary>
    private static double HelloPairPssKiB(string helloDll)
    {
        using var a = Measure.IdleHello(helloDll);
        using var b = Measure.IdleHello(helloDll);
        Thread.Sleep(1000);
        var pss = Measure.PssKiB(a.Id) + Measure.PssKiB(b.Id);
        foreach (var p in (Process[])[a, b])
        {
            p.StandardInput.Close();
            p.WaitForExit();
        }
        return pss;
    }

    private static double Cpu(string what, CpuMeter meter)
    {
        try
        {
            return meter.Ms;
        }
        catch (InvalidOperationException)
        {
            throw new InvalidOperationException($"{what} (pid {meter.Pid}) is gone; its last output: {string.Join(" | ", (Output.TryGetValue(meter.Pid, out var q) ? q.ToArray() : []).TakeLast(5))}");
        }
    }

    private static async Task<int> ChildPidAsync(KomlogdCli cli) =>
        JsonDocument.Parse((await cli.RunAsync("status", "--json")).Stdout).RootElement.GetProperty("venvs")[0].GetProperty("pid").GetInt32();

    /// <summary>kpack_linux's collections stored so far, and the datapoints its last one wrote.</summary>
    private static (int Count, int Values) Collections(KomlogdCli cli)
    {
        var rows = cli.RunAsync("data", "ls", Prefix).GetAwaiter().GetResult().Stdout
            .Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l.Split('\t')).Where(f => f.Length >= 4).ToList();
        var cpu = rows.FirstOrDefault(f => f[0] == Prefix + ".cpu");
        if (cpu is null)
        {
            return (0, 0);
        }
        var last = rows.Max(f => f[3]);
        return (int.Parse(cpu[2], CultureInfo.InvariantCulture), rows.Count(f => f[1] == "datapoint" && f[3] == last));
    }

    private static string WriteCollectdConf(TempDir dir)
    {
        var conf = dir["collectd.conf"];
        Directory.CreateDirectory(dir["collectd"]);
        File.WriteAllText(conf, $"""
            Hostname "bench"
            FQDNLookup false
            BaseDir "{dir["collectd"]}"
            PIDFile "{dir["collectd/collectd.pid"]}"
            PluginDir "/usr/lib/collectd"
            TypesDB "/usr/share/collectd/types.db"
            Interval {IntervalSeconds}
            LoadPlugin cpu
            LoadPlugin load
            LoadPlugin memory
            LoadPlugin swap
            LoadPlugin disk
            LoadPlugin df
            LoadPlugin interface
            LoadPlugin csv
            <Plugin csv>
              DataDir "{dir["collectd/csv"]}"
              StoreRates true
            </Plugin>

            """);
        return conf;
    }

    /// <summary>Reads collectd made so far: lines of its load file (one per interval) less the header.</summary>
    private static int CollectdReads(TempDir dir)
    {
        var load = Directory.Exists(dir["collectd/csv"])
            ? Directory.EnumerateFiles(dir["collectd/csv"], "load-*", SearchOption.AllDirectories).FirstOrDefault()
            : null;
        return load is null ? 0 : File.ReadLines(load).Count() - 1;
    }

    /// <summary>Values of one collectd read: the value columns of every csv file it writes.</summary>
    private static int CollectdValues(TempDir dir) =>
        Directory.EnumerateFiles(dir["collectd/csv"], "*", SearchOption.AllDirectories)
            .Select(f => File.ReadLines(f).FirstOrDefault() ?? "")
            .Sum(header => Math.Max(header.Split(',').Length - 1, 0));

    private static string? TryScrape(HttpClient http, Uri url)
    {
        try
        {
            return http.GetStringAsync(url).GetAwaiter().GetResult();
        }
        catch (HttpRequestException)
        {
            return null;
        }
    }

    private static readonly System.Collections.Concurrent.ConcurrentDictionary<int, System.Collections.Concurrent.ConcurrentQueue<string>> Output = new();

    private static Process Start(string file, string[] args)
    {
        var psi = new ProcessStartInfo(file) { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in args)
        {
            psi.ArgumentList.Add(a);
        }
        var p = Process.Start(psi)!;
        var lines = Output.GetOrAdd(p.Id, _ => new());
        p.OutputDataReceived += (_, e) => { if (e.Data is not null) lines.Enqueue(e.Data); };
        p.ErrorDataReceived += (_, e) => { if (e.Data is not null) lines.Enqueue(e.Data); };
        p.BeginOutputReadLine();
        p.BeginErrorReadLine();
        return p;
    }
}
