using System.Diagnostics;
using Komlogd.Core.Control;
using Komlogd.Protocol.Control;
using Komlogd.TestKit;

namespace Komlogd.Bench;

/// <summary>
/// Export to the real Prometheus on loopback (Debian's package): a package writes a steady 50,000 samples/s
/// over 1,000 series for 60 s (15 s with --quick); the same load runs twice in the same agent setup, without
/// and with a remote-write block. Reports the store's insert rate beside the export throughput, the lag
/// while loaded and the time to catch up, and the agent's extra CPU per 1,000 exported samples (agent CPU
/// with the block minus without). Prometheus shares the machine's cores: its CPU is reported too.
/// </summary>
public sealed class ExportBench(bool quick) : IBenchmark
{
    private const int Series = 1_000;
    private const int Rate = 50_000;

    public string Name => "export";

    public string Description => "Prometheus remote-write: export throughput beside the store's insert rate, lag, agent CPU per 1,000 samples";

    private sealed record Run(double InsertRate, double AgentCpuMs, long Sent, double ExportRate, long MaxLagSamples, double MaxLagSeconds, double CatchUpSeconds, double PrometheusCpuMs);

    public async Task<IReadOnlyList<Figure>> RunAsync(CancellationToken ct)
    {
        using var dir = new TempDir("bench-export");
        var seconds = quick ? 15 : 60;
        var expected = (long)(seconds * Rate / Series) * Series;
        var package = dir["packages/TestPkg.Load"];
        TestVenv.CopyDir(Path.Combine(Repo.Root, "tests", "TestPackages", "TestPkg.Load"), package);
        var cli = new KomlogdCli(dir["home"]);
        var packageBlock = $"- username: bench\n- package:\n    install: {package}\n    venv: load\n";
        cli.WriteConfig(packageBlock);
        var install = await cli.RunAsync("install");
        if (install.ExitCode != 0)
        {
            throw new InvalidOperationException(install.ToString());
        }
        await using var prometheus = await PrometheusServer.StartAsync(dir["prometheus"]);
        var env = new Dictionary<string, string>
        {
            ["LOAD_RATE"] = Rate.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["LOAD_SERIES"] = Series.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["LOAD_SECONDS"] = seconds.ToString(System.Globalization.CultureInfo.InvariantCulture),
        };

        var without = await LoadAsync(cli, env, expected, null, prometheus, ct);
        cli.WriteConfig(packageBlock + $"- export:\n    prometheus_remote_write: {prometheus.RemoteWriteUrl}\n");
        var with = await LoadAsync(cli, env, expected, prometheus.RemoteWriteUrl, prometheus, ct);

        var extraCpuPerThousand = (with.AgentCpuMs - without.AgentCpuMs) / (with.Sent / 1000.0);
        return
        [
            new($"store inserts, {Rate:N0}/s over {Series:N0} series asked for {seconds} s, no export", without.InsertRate, "samples/s", "asked", Rate),
            new("store inserts, same load, with the remote-write block", with.InsertRate, "samples/s", "without export", without.InsertRate),
            new("export throughput while loaded (delivered to Prometheus)", with.ExportRate, "samples/s", "store inserts, same run", with.InsertRate),
            new("export lag while loaded, max", with.MaxLagSamples, "samples"),
            new("export lag while loaded, max", with.MaxLagSeconds, "s"),
            new("catch-up after the load ends (lag back to 0)", with.CatchUpSeconds, "s"),
            new("agent CPU for the load, with export", with.AgentCpuMs, "ms", "without export", without.AgentCpuMs),
            new("agent's extra CPU per 1,000 exported samples", extraCpuPerThousand, "ms"),
            new("Prometheus CPU receiving them (same cores)", with.PrometheusCpuMs, "ms", "idle, run without export", without.PrometheusCpuMs),
        ];
    }

    /// <summary>One agent run of the load: from its first committed sample until every sample is stored (and, with a block, delivered).</summary>
    private static async Task<Run> LoadAsync(KomlogdCli cli, Dictionary<string, string> env, long expected, string? target, PrometheusServer prometheus, CancellationToken ct)
    {
        await using var agent = AgentProcess.Start(cli.Home, [], env);
        var socket = Path.Combine(cli.ConfigDir, "komlogd.sock");
        await Measure.UntilAsync(() => File.Exists(socket), TimeSpan.FromMinutes(2), pollMs: 20);
        using var client = await ControlClient.TryConnectAsync(socket, ct) ?? throw new InvalidOperationException("no agent");
        await Measure.UntilAsync(() => client.StatusAsync(ct).GetAwaiter().GetResult().SamplesTotal > 0, TimeSpan.FromMinutes(2), pollMs: 10);
        var clock = Stopwatch.StartNew();
        var (cpu0, _) = Measure.CpuWithChildrenMs(agent.Pid);
        var (prom0, _) = Measure.CpuWithChildrenMs(prometheus.Pid!.Value);
        var first = await client.StatusAsync(ct);
        long maxLag = 0;
        double maxLagSeconds = 0;
        AgentStatus status;
        while ((status = await client.StatusAsync(ct)).SamplesTotal < expected)
        {
            if (target is not null && status.Exports.Single(x => x.Target == target) is var x)
            {
                maxLag = Math.Max(maxLag, x.LagSamples);
                maxLagSeconds = Math.Max(maxLagSeconds, x.LagSeconds);
            }
            await Task.Delay(500, ct);
        }
        var loaded = clock.Elapsed.TotalSeconds;
        var insertRate = (status.SamplesTotal - first.SamplesTotal) / loaded;
        var sentWhileLoaded = target is null ? 0 : status.Exports.Single(x => x.Target == target).Sent;
        var caughtUp = loaded;
        if (target is not null)
        {
            await Measure.UntilAsync(() => client.StatusAsync(ct).GetAwaiter().GetResult().Exports.Single(x => x.Target == target).LagSamples == 0, TimeSpan.FromMinutes(10), pollMs: 100);
            caughtUp = clock.Elapsed.TotalSeconds;
        }
        var (cpu1, _) = Measure.CpuWithChildrenMs(agent.Pid);
        var (prom1, _) = Measure.CpuWithChildrenMs(prometheus.Pid!.Value);
        var sent = target is null ? 0 : (await client.StatusAsync(ct)).Exports.Single(x => x.Target == target).Sent;
        agent.Signal(AgentProcess.SIGTERM);
        await agent.WaitForExitAsync(TimeSpan.FromSeconds(30));
        return new Run(insertRate, cpu1 - cpu0, sent, sentWhileLoaded / loaded, maxLag, maxLagSeconds, caughtUp - loaded, prom1 - prom0);
    }
}
