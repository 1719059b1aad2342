using System.Text.Json;

namespace Komlogd.Agent.Tests;

/// <summary>
/// The agent's installs run in a child komlogd (<c>install --for-agent</c>, InstallerProcess): its JSON
/// lines, a refusal of it, and what the agent keeps of an install (nothing of the installer's code).
/// </summary>
public sealed class InstallerProcessTests
{
    [Fact]
    public async Task TheInstallerChildSaysEachProgressLineAndEachVenvsResultAsOneJsonLine()
    {
        await using var home = new AgentHome("installer-lines");
        home.Configure(("good", "TestPkg.Basic"));
        var missing = Path.Combine(home.Home, "no-such-package");
        File.AppendAllText(home.Cli.ConfigFile, $"- package:\n    install: {missing}\n    venv: bad\n");

        var run = await home.Cli.RunAsync(["install", "--for-agent"], timeout: TimeSpan.FromMinutes(10));

        Assert.True(run.ExitCode == 0, run.ToString());
        var lines = run.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => JsonDocument.Parse(l).RootElement.Clone()).ToList();
        var progress = lines.Where(l => l.TryGetProperty("progress", out _)).Select(l => l.GetProperty("progress").GetString()).ToList();
        Assert.Contains("venv good: installing 1 package(s)...", progress);
        Assert.Contains(progress, p => p!.StartsWith("venv good: installed in ", StringComparison.Ordinal));
        var results = lines.Where(l => l.TryGetProperty("result", out _)).Select(l => l.GetProperty("result")).ToDictionary(r => r.GetProperty("name").GetString()!);
        Assert.Equal(["bad", "good"], results.Keys.Order());
        Assert.Equal("Installed", results["good"].GetProperty("outcome").GetString());
        Assert.Equal(Path.Combine(home.Cli.ConfigDir, ".venvs", "good"), results["good"].GetProperty("directory").GetString());
        Assert.False(results["good"].TryGetProperty("error", out _));
        Assert.Equal("Failed", results["bad"].GetProperty("outcome").GetString());
        // Block 1 is the username.
        Assert.StartsWith($"venv bad: block 3 '{missing}': ", results["bad"].GetProperty("error").GetString(), StringComparison.Ordinal);
        // The last lines are the results, after every progress line.
        Assert.All(lines.TakeLast(2), l => Assert.True(l.TryGetProperty("result", out _), l.ToString()));
    }

    [Fact]
    public async Task AnInstallerTheLockRefusesStopsTheAgentsStartWithItsOneLine()
    {
        await using var home = new AgentHome("installer-refused");
        home.Configure(("v", "TestPkg.Basic"));
        var venvs = Path.Combine(home.Cli.ConfigDir, ".venvs");
        Directory.CreateDirectory(venvs);
        // Another komlogd installing in the same config dir holds this lock (VenvInstaller.Lock).
        using (new FileStream(Path.Combine(venvs, ".lock"), FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None))
        {
            var agent = home.Start();
            Assert.True(await agent.WaitForExitAsync(TimeSpan.FromMinutes(2)), agent.Describe());
            Assert.Equal(1, agent.ExitCode);
            var line = $"another komlogd is installing venvs in {venvs}; try again when it is done";
            Assert.Contains(agent.StderrLines, l => l.EndsWith(line, StringComparison.Ordinal));
            Assert.DoesNotContain(agent.StderrLines, l => l.Contains("   at ", StringComparison.Ordinal));
        }
        Assert.False(File.Exists(Path.Combine(venvs, "v", "manifest.json")));
    }
}
