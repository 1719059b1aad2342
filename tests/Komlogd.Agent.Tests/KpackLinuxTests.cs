using Komlogd.Core.Store;

namespace Komlogd.Agent.Tests;

/// <summary>
/// The sample package end to end: installed by the agent from its directory, collecting this machine's /proc on
/// load (sar's path is LoadTests' in Kpack.Linux.Tests, which needs no agent).
/// </summary>
public sealed class KpackLinuxTests
{
    [Fact]
    public async Task OnLoadTheStoreHoldsThisHostsResourcesUnderTheOriginalsUrisWithTheOldHistoryMovedThere()
    {
        await using var home = new AgentHome("kpack");
        var package = Path.Combine(home.Home, "kpack_linux");
        TestVenv.CopyDir(Path.Combine(Repo.Root, "samples", "kpack_linux"), package);
        home.Cli.WriteConfig($"- username: alice\n- package:\n    install: {package}\n");

        // A store as the code before issue 17 left it (schema 1): the memory datasource named mem, and the dotted
        // host name squashed into one level. The agent's store migration 4 moves it before the package runs.
        var old = "pkg.kpack_linux.e2e_test_example.system.resources";
        using (var store = SampleStore.Open(Path.Combine(home.Cli.ConfigDir, "data", "komlogd.db")))
        {
            store.Insert([
                new NewSample($"{old}.cpu", SampleType.Datasource, 1000, "cpu then"),
                new NewSample($"{old}.mem", SampleType.Datasource, 1000, "memory then"),
                new NewSample($"{old}.mem.memused", SampleType.Datapoint, 1000, "12.5"),
                new NewSample($"{old}.mem._anomaly", SampleType.Datapoint, 1000, "0"),
            ]);
        }
        var agent = AgentProcess.Start(home.Home, [], new Dictionary<string, string> { ["KPACK_LINUX_HOSTNAME"] = "e2e.test.example", ["KPACK_LINUX_SOURCE"] = "proc" });
        await using var _ = agent;

        // The original's uris: a dotted host name is nested levels, memory is memory.
        var prefix = "pkg.kpack_linux.e2e.test.example.system.resources";
        string[] expected =
        [
            $"{prefix}.cpu\tdatasource", $"{prefix}.memory\tdatasource", $"{prefix}.storage\tdatasource", $"{prefix}.network\tdatasource",
            $"{prefix}.cpu.all.user\tdatapoint", $"{prefix}.cpu.cpu_count\tdatapoint", $"{prefix}.memory.memused\tdatapoint",
            $"{prefix}.cpu._anomaly\tdatapoint", $"{prefix}.memory._anomaly\tdatapoint",
        ];
        var ls = "";
        try
        {
            await Eventually.WaitAsync(() =>
            {
                ls = home.Cli.RunAsync("data", "ls", "pkg.kpack_linux").GetAwaiter().GetResult().Stdout;
                return expected.All(e => ls.Contains(e, StringComparison.Ordinal));
            }, "kpack_linux's first collection", TimeSpan.FromMinutes(5));
        }
        catch (TimeoutException e)
        {
            throw new TimeoutException($"{e.Message}\n{ls}\n{agent.Describe()}\n{home.Log()}", e);
        }

        Assert.DoesNotContain("e2e_test_example", ls, StringComparison.Ordinal);
        Assert.DoesNotContain(".mem.", ls, StringComparison.Ordinal);
        Assert.DoesNotContain(".mem\t", ls, StringComparison.Ordinal);
        Assert.Matches($@"{prefix.Replace(".", "\\.", StringComparison.Ordinal)}\.network\.[A-Za-z0-9_-]+\.ifutil\tdatapoint", ls);
        // The old history is there, beside the new samples, under the new names.
        var counts = ls.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l.Split('\t')).ToDictionary(f => f[0], f => long.Parse(f[2], System.Globalization.CultureInfo.InvariantCulture));
        foreach (var (uri, value) in new[] { ("cpu", "cpu then"), ("memory", "memory then"), ("memory.memused", "12.5"), ("memory._anomaly", "0") })
        {
            var then = await home.Cli.RunAsync("data", "get", $"{prefix}.{uri}", "--to", "1970-01-01T00:00:01Z");
            Assert.Equal($"1970-01-01T00:00:01.000Z\t{value}", then.Stdout.TrimEnd('\n'));
            Assert.True(counts[$"{prefix}.{uri}"] >= 2, ls);
        }
        var anomaly = (await home.Cli.RunAsync("data", "get", $"{prefix}.cpu._anomaly", "--count", "1")).Stdout.Split('\t')[1].Trim();
        Assert.Contains(anomaly, new[] { "0", "1" });
        var log = home.Log();
        Assert.Contains("Store migration 4 applied: 4 kpack_linux uri(s) moved", log, StringComparison.Ordinal);
        Assert.Contains("host e2e.test.example: collecting from /proc (source is 'proc')", log, StringComparison.Ordinal);
    }
}
