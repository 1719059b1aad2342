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

    /// <summary>
    /// The installer child killed in the middle of an install (the kernel's OOM killer, a person) says nothing
    /// on stderr: the agent's start ends with one line naming the kill, the venv keeps nothing half-built, and
    /// the next start installs it (the dead child's lock went with it).
    /// </summary>
    [Fact]
    public async Task AnInstallerKilledInTheMiddleEndsTheAgentsStartWithOneLineAndTheNextStartInstalls()
    {
        await using var home = new AgentHome("installer-killed");
        home.Configure(("v", "TestPkg.Basic"));
        var agent = home.Start();
        int? installer = null;
        await Eventually.WaitAsync(() =>
        {
            installer = Processes.Descendants(agent.Pid).Cast<int?>().FirstOrDefault(pid => Processes.IsAlive(pid!.Value, "--for-agent"));
            return installer is not null && agent.StdoutLines.Contains("venv v: installing 1 package(s)...") && Processes.Descendants(installer.Value).Count > 0;
        }, $"the installer child's tool to run; {agent.Describe()}");
        var tools = Processes.Descendants(installer!.Value).Select(pid => (Pid: pid, CommandLine: Processes.CommandLine(pid))).Where(p => p.CommandLine.Length > 0).ToList();

        Assert.True(Processes.Signal(installer.Value, AgentProcess.SIGKILL));

        Assert.True(await agent.WaitForExitAsync(TimeSpan.FromMinutes(2)), agent.Describe());
        Assert.Equal(1, agent.ExitCode);
        Assert.Contains(agent.StderrLines, l => l.EndsWith("the installer was killed (SIGKILL: the kernel's out-of-memory killer, or a person); nothing it had not finished was kept", StringComparison.Ordinal));
        Assert.DoesNotContain(agent.StderrLines, l => l.Contains("   at ", StringComparison.Ordinal));
        var manifest = Path.Combine(home.Cli.ConfigDir, ".venvs", "v", "manifest.json");
        Assert.False(File.Exists(manifest));
        // Its tools, reparented to init when it died, were killed with its process group.
        Assert.NotEmpty(tools);
        await Eventually.WaitAsync(() => !tools.Any(p => Processes.IsAlive(p.Pid, p.CommandLine)),
            $"the killed installer's tools to end: {string.Join("; ", tools.Select(p => $"{p.Pid} {p.CommandLine}"))}");
        Assert.Contains($"Installer {installer} ended and left processes running; SIGKILL to them", home.Log(), StringComparison.Ordinal);

        home.Start();
        await home.WaitForVenvAsync("v", "Running", AgentHome.InstallAndStart);
        Assert.True(File.Exists(manifest));
    }
}
