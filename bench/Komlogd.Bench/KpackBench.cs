using System.Text.Json;
using Komlogd.TestKit;

namespace Komlogd.Bench;

/// <summary>
/// samples/kpack_linux's cost: CPU time of its child (and of the sar it runs) for one collection, and the
/// child's RSS, beside a bare <c>dotnet hello</c>'s RSS. Waits for the minute's cron run after the
/// on-load run, so it takes up to a minute and a half.
/// </summary>
public sealed class KpackBench : IBenchmark
{
    public string Name => "kpack";

    public string Description => "samples/kpack_linux: CPU time and RSS of its child per collection";

    public async Task<IReadOnlyList<Figure>> RunAsync(CancellationToken ct)
    {
        using var dir = new TempDir("bench-kpack");
        var hello = await Measure.BuildHelloAsync(dir["hello"]);
        var helloRss = Measure.HelloRssKiB(hello);
        var package = dir["kpack_linux"];
        TestVenv.CopyDir(Path.Combine(Repo.Root, "samples", "kpack_linux"), package);
        var cli = new KomlogdCli(dir["home"]);
        cli.WriteConfig($"- username: bench\n- package:\n    install: {package}\n");
        await using var agent = AgentProcess.Start(cli.Home, [], new Dictionary<string, string> { ["KPACK_LINUX_HOSTNAME"] = "bench" });
        const string uri = "pkg.kpack_linux.bench.system.resources.cpu";

        int Collections()
        {
            var ls = cli.RunAsync("data", "ls", uri).GetAwaiter().GetResult().Stdout;
            var row = ls.Split('\n').FirstOrDefault(l => l.StartsWith(uri + "\t", StringComparison.Ordinal));
            return row is null ? 0 : int.Parse(row.Split('\t')[2], System.Globalization.CultureInfo.InvariantCulture);
        }

        await Measure.UntilAsync(() => Collections() >= 1, TimeSpan.FromMinutes(5), pollMs: 500);
        var status = JsonDocument.Parse((await cli.RunAsync("status", "--json")).Stdout).RootElement;
        var pid = status.GetProperty("venvs")[0].GetProperty("pid").GetInt32();
        var (own0, children0) = Measure.CpuWithChildrenMs(pid);
        await Measure.UntilAsync(() => Collections() >= 2, TimeSpan.FromMinutes(2), pollMs: 500);
        var (own1, children1) = Measure.CpuWithChildrenMs(pid);
        var rss = Measure.RssKiB(pid);
        agent.Signal(AgentProcess.SIGTERM);
        await agent.WaitForExitAsync(TimeSpan.FromSeconds(30));

        return
        [
            new("child CPU per collection (package process)", own1 - own0, "ms"),
            new("CPU per collection incl. the sar it runs", own1 - own0 + children1 - children0, "ms"),
            new("child RSS after collections", rss / 1024, "MiB", "bare dotnet hello RSS", helloRss / 1024),
        ];
    }
}
