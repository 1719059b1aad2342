namespace Komlogd.Agent.Tests;

/// <summary>The sample package end to end: installed by the agent from its directory, collecting on load.</summary>
public sealed class KpackLinuxTests
{
    [Fact]
    public async Task OnLoadTheStoreHoldsThisHostsResourceTextsNumbersAndAnomalies()
    {
        await using var home = new AgentHome("kpack");
        var package = Path.Combine(home.Home, "kpack_linux");
        TestVenv.CopyDir(Path.Combine(Repo.Root, "samples", "kpack_linux"), package);
        home.Cli.WriteConfig($"- username: alice\n- package:\n    install: {package}\n");
        var agent = AgentProcess.Start(home.Home, [], new Dictionary<string, string> { ["KPACK_LINUX_HOSTNAME"] = "e2e" });
        await using var _ = agent;

        var prefix = "pkg.kpack_linux.e2e.system.resources";
        string[] expected =
        [
            $"{prefix}.cpu\tdatasource", $"{prefix}.mem\tdatasource", $"{prefix}.storage\tdatasource", $"{prefix}.network\tdatasource",
            $"{prefix}.cpu.all.user\tdatapoint", $"{prefix}.cpu.cpu_count\tdatapoint", $"{prefix}.mem.memused\tdatapoint",
            $"{prefix}.cpu._anomaly\tdatapoint", $"{prefix}.mem._anomaly\tdatapoint",
        ];
        var ls = "";
        try
        {
            await Eventually.WaitAsync(() =>
            {
                ls = home.Cli.RunAsync("data", "ls", "pkg.kpack_linux.e2e").GetAwaiter().GetResult().Stdout;
                return expected.All(e => ls.Contains(e, StringComparison.Ordinal));
            }, "kpack_linux's first collection", TimeSpan.FromMinutes(5));
        }
        catch (TimeoutException e)
        {
            throw new TimeoutException($"{e.Message}\n{ls}\n{agent.Describe()}\n{home.Log()}", e);
        }

        Assert.Matches($@"{prefix.Replace(".", "\\.", StringComparison.Ordinal)}\.network\.[A-Za-z0-9_-]+\.ifutil\tdatapoint", ls);
        var anomaly = (await home.Cli.RunAsync("data", "get", $"{prefix}.cpu._anomaly", "--count", "1")).Stdout.Split('\t')[1].Trim();
        Assert.Contains(anomaly, new[] { "0", "1" });
        var log = home.Log();
        Assert.True(log.Contains("collecting with", StringComparison.Ordinal) || log.Contains("collecting from /proc", StringComparison.Ordinal), log);
    }
}
