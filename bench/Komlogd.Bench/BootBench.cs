using System.Diagnostics;
using Komlogd.Core.Control;
using Komlogd.Protocol.Control;
using Komlogd.Core.Supervision;
using Komlogd.TestKit;
using Serilog;

namespace Komlogd.Bench;

/// <summary>
/// A no-op boot: the agent with five installed, unchanged venvs, from spawn to all five Running, beside
/// its floor measured in the same run: a bare agent start (no packages, spawn to its first status answer)
/// plus five plugin host children cold-started at once.
/// </summary>
public sealed class BootBench(bool quick) : IBenchmark
{
    private const int Venvs = 5;

    public string Name => "boot";

    public string Description => "no-op boot with 5 installed venvs";

    public async Task<IReadOnlyList<Figure>> RunAsync(CancellationToken ct)
    {
        using var dir = new TempDir("bench-boot");
        var runs = quick ? 2 : 5;
        var package = dir["TestPkg.Basic"];
        TestVenv.CopyDir(Path.Combine(Repo.Root, "tests", "TestPackages", "TestPkg.Basic"), package);
        var cli = new KomlogdCli(dir["home"]);
        cli.WriteConfig("- username: bench\n" + string.Concat(Enumerable.Range(1, Venvs).Select(i => $"- package:\n    install: {package}\n    venv: v{i}\n")));
        var install = await cli.RunAsync(["install"], timeout: TimeSpan.FromMinutes(10));
        if (install.ExitCode != 0)
        {
            throw new InvalidOperationException(install.ToString());
        }

        var boots = new List<double>();
        for (var i = 0; i < runs; i++)
        {
            boots.Add(await BootAsync(cli, s => s.Venvs.Count == Venvs && s.Venvs.All(v => v.State == "Running"), ct));
        }

        var bare = new KomlogdCli(dir["bare"]);
        bare.WriteConfig("- username: bench\n");
        var bareBoots = new List<double>();
        for (var i = 0; i < runs; i++)
        {
            bareBoots.Add(await BootAsync(bare, _ => true, ct));
        }

        using var log = new LoggerConfiguration().WriteTo.File(dir["children.log"]).CreateLogger();
        var launcher = new PluginHostLauncher(log, hostDll: Repo.HostDll);
        var entries = Enumerable.Range(1, Venvs).Select(i => Path.Combine(cli.ConfigDir, ".venvs", $"v{i}", "publish", "Komlogd.Venv.dll")).ToList();
        var children = new List<double>();
        for (var i = 0; i < runs; i++)
        {
            var watch = Stopwatch.StartNew();
            var started = entries.Select(e => launcher.Launch("bench", e)).ToList();
            await Task.WhenAll(started.Select(c => c.InitializeAsync(ct)));
            children.Add(watch.Elapsed.TotalMilliseconds);
            foreach (var c in started)
            {
                await c.DisposeAsync();
            }
        }

        var floor = Measure.Median(bareBoots) + Measure.Median(children);
        return
        [
            new($"no-op boot, {Venvs} installed venvs → all Running (median)", Measure.Median(boots), "ms", $"bare agent start + {Venvs} concurrent child starts", floor),
            new("bare agent start → first status answer (median)", Measure.Median(bareBoots), "ms"),
            new($"{Venvs} plugin hosts started at once → all loaded (median)", Measure.Median(children), "ms"),
        ];
    }

    private static async Task<double> BootAsync(KomlogdCli cli, Func<AgentStatus, bool> ready, CancellationToken ct)
    {
        var socket = Path.Combine(cli.ConfigDir, "komlogd.sock");
        var watch = Stopwatch.StartNew();
        await using var agent = AgentProcess.Start(cli.Home);
        while (true)
        {
            if (agent.HasExited)
            {
                throw new InvalidOperationException(agent.Describe());
            }
            using var client = await ControlClient.TryConnectAsync(socket, ct);
            if (client is not null && ready(await client.StatusAsync(ct)))
            {
                break;
            }
            await Task.Delay(5, ct);
        }
        var elapsed = watch.Elapsed.TotalMilliseconds;
        agent.Signal(AgentProcess.SIGTERM);
        await agent.WaitForExitAsync(TimeSpan.FromSeconds(30));
        return elapsed;
    }
}
