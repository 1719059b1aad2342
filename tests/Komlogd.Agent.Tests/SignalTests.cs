using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace Komlogd.Agent.Tests;

/// <summary>One venv holding a package whose transfer method runs back to back and one whose grandchild sleeps; installed once.</summary>
public sealed class SignalFixture : IAsyncLifetime
{
    public AgentHome Home { get; } = new("signals");

    public async Task InitializeAsync()
    {
        Home.Configure(("v", "TestPkg.Runs"), ("v", "TestPkg.Orphan"));
        var install = await Home.Cli.RunAsync(["install"], timeout: TimeSpan.FromMinutes(10));
        Assert.True(install.ExitCode == 0, install.ToString());
        // Not a terminal: plain lines, the start and the outcome.
        var lines = install.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal("venv v: installing 2 package(s)...", lines[0]);
        Assert.StartsWith("venv v: installed in ", lines[1], StringComparison.Ordinal);
    }

    public async Task DisposeAsync() => await Home.DisposeAsync();
}

/// <summary>
/// The stops a terminal and systemd make: Ctrl-C to the terminal's foreground process group, SIGTERM to every
/// process of the service at once, and SIGKILL. Each ends every process, loses no sample of a run that
/// finished and commits nothing of a run it abandoned (docs/protocol.md, "Signals").
/// </summary>
public sealed partial class SignalTests(SignalFixture fixture) : IClassFixture<SignalFixture>
{
    private AgentHome Home => fixture.Home;

    [Fact]
    public async Task CtrlCInATerminalStopsTheAgentAndItsChildrenCleanly()
    {
        var exitFile = Path.Combine(Home.Home, $"ctrl-c-{Guid.NewGuid():N}.exit");
        // bash ignores SIGINT and waits; the agent gets the disposition a terminal user's would have. The pane
        // stays open after the agent exits (sleep) so its screen can be read; disposing ends the tmux server.
        await using var tmux = await TmuxSession.StartAsync(["bash", "-c",
            $"trap '' INT; cd {Home.Home}; HOME={Home.Home} env --default-signal=INT dotnet {Repo.KomlogdDll}; echo $? > {exitFile}; sleep 600"],
            width: 160, height: 50);
        var agent = 0;
        try
        {
            var (host, grandchild) = await RunningAsync();
            agent = AgentPid();
            Assert.NotEqual(Processes.GroupOf(host), Processes.GroupOf(agent));

            await tmux.SendKeysAsync("C-c");

            await Eventually.WaitAsync(() => File.Exists(exitFile) && File.ReadAllText(exitFile).Trim().Length > 0, $"the agent to exit; screen:\n{tmux.Capture(200)}", TimeSpan.FromMinutes(1));
            Assert.Equal("0", File.ReadAllText(exitFile).Trim());
            var screen = tmux.Capture(200);
            Assert.DoesNotContain("failed", screen, StringComparison.OrdinalIgnoreCase);
            // What the person at the terminal saw: the start line, the venv's states, a clean stop.
            Assert.Contains($"running: pid {agent}, config {Home.Cli.ConfigFile}, venvs: v; log {Path.Combine(Home.Cli.ConfigDir, "log", "komlogd.log")}; Ctrl-C stops it", screen, StringComparison.Ordinal);
            Assert.Contains($"venv v: Running, pid {host} (TestPkg.Orphan 1.0.0, TestPkg.Runs 1.0.0)", screen, StringComparison.Ordinal);
            Assert.Contains("venv v: Stopped", screen, StringComparison.Ordinal);
            Assert.EndsWith("komlogd stopped", screen.TrimEnd(), StringComparison.Ordinal);
            await AssertStoppedCleanlyAsync(host, grandchild);
        }
        finally
        {
            // A failed test leaves no agent: one killed with its tmux server would take SIGHUP as "reload".
            if (agent > 0 && Processes.IsAlive(agent, "komlogd"))
            {
                Processes.Signal(agent, AgentProcess.SIGKILL);
            }
        }
    }

    [Fact]
    public async Task SigtermToEveryProcessAtOnceAsSystemdDoesStopsCleanly()
    {
        await using var agent = AgentProcess.Start(Home.Home);
        var (host, grandchild) = await RunningAsync();
        var everyone = Processes.Descendants(agent.Pid).Append(agent.Pid).ToList();
        Assert.Contains(host, everyone);
        Assert.Contains(grandchild, everyone);

        foreach (var pid in everyone)
        {
            Processes.Signal(pid, AgentProcess.SIGTERM);
        }

        Assert.True(await agent.WaitForExitAsync(TimeSpan.FromMinutes(1)), agent.Describe());
        Assert.True(agent.ExitCode == 0, agent.Describe());
        Assert.DoesNotContain(agent.StderrLines.Concat(agent.StdoutLines), l => l.Contains("failed", StringComparison.OrdinalIgnoreCase));
        Assert.Equal(["venv v: Starting", $"venv v: Running, pid {host} (TestPkg.Orphan 1.0.0, TestPkg.Runs 1.0.0)", "komlogd stopping: venvs first, then the store",
            "venv v: Stopping", "venv v: Stopped", "komlogd stopped"], agent.StdoutLines.Skip(1));
        await AssertStoppedCleanlyAsync(host, grandchild);
    }

    [Fact]
    public async Task SigkillOfTheAgentLeavesNoHostAndNoGrandchild()
    {
        await using var agent = AgentProcess.Start(Home.Home);
        var (host, grandchild) = await RunningAsync();

        agent.Signal(AgentProcess.SIGKILL);

        Assert.True(await agent.WaitForExitAsync(TimeSpan.FromSeconds(30)));
        await Eventually.WaitAsync(() => !Processes.IsAlive(host) && !Processes.IsAlive(grandchild), "the host and its grandchild to be gone", TimeSpan.FromSeconds(30));
    }

    /// <summary>Waits for the venv to run, its grandchild to start and a few runs to finish; returns the host's and the grandchild's pids.</summary>
    private async Task<(int Host, int Grandchild)> RunningAsync()
    {
        var host = (await Home.WaitForVenvAsync("v", "Running")).GetProperty("pid").GetInt32();
        var grandchild = 0;
        await Eventually.WaitAsync(() =>
        {
            var log = ThisRun(Home.Log());
            grandchild = GrandchildRegex().Matches(log).Select(m => int.Parse(m.Groups["pid"].Value, CultureInfo.InvariantCulture)).LastOrDefault();
            return grandchild > 0 && Finished(log, host).Count >= 3;
        }, "the grandchild to start and three runs to finish");
        Assert.True(Processes.IsAlive(grandchild, "sleep"));
        return (host, grandchild);
    }

    private async Task AssertStoppedCleanlyAsync(int host, int grandchild)
    {
        await Eventually.WaitAsync(() => !Processes.IsAlive(host) && !Processes.IsAlive(grandchild), "the host and its grandchild to be gone", TimeSpan.FromSeconds(30));
        var log = Home.Log();
        var thisRun = ThisRun(log);
        Assert.Contains("Agent stopped", thisRun, StringComparison.Ordinal);
        Assert.DoesNotContain("Child failed", thisRun, StringComparison.Ordinal);
        Assert.DoesNotContain("[WRN]", thisRun, StringComparison.Ordinal);
        Assert.DoesNotContain("[ERR]", thisRun, StringComparison.Ordinal);
        // Every run that finished was committed; nothing of an abandoned run was.
        var stored = await Home.Cli.RunAsync("data", "get", $"runs.p{host}.n", "--json");
        Assert.True(stored.ExitCode == 0, stored.ToString());
        var values = JsonDocument.Parse(stored.Stdout).RootElement.EnumerateArray()
            .Select(e => int.Parse(e.GetProperty("value").GetString()!, CultureInfo.InvariantCulture)).Order().ToList();
        Assert.Equal(Finished(log, host), values);
    }

    /// <summary>
    /// A stop asked while a first boot installs its venvs cancels the install at once (a dotnet publish each,
    /// minutes on a busy machine), as systemd's SIGTERM or a user's Ctrl-C means: no child is started, no
    /// publish is left running, and the agent exits 0 after its usual stop.
    /// </summary>
    [Fact]
    public async Task ASignalDuringTheFirstBootsInstallCancelsItAndTheAgentStops()
    {
        await using var home = new AgentHome("signal-install");
        home.Configure(("v", "TestPkg.Basic"));
        var agent = home.Start();
        // The install's own process (dotnet restore or publish) is running, and is what the stop must end.
        await Eventually.WaitAsync(() => agent.StdoutLines.Contains("venv v: installing 1 package(s)...") && Processes.Descendants(agent.Pid).Count > 0,
            $"the install's process to run; {agent.Describe()}");
        var installing = Processes.Descendants(agent.Pid).Select(pid => (Pid: pid, CommandLine: Processes.CommandLine(pid))).Where(p => p.CommandLine.Length > 0).ToList();

        agent.Signal(AgentProcess.SIGTERM);

        Assert.True(await agent.WaitForExitAsync(TimeSpan.FromMinutes(2)), agent.Describe());
        Assert.Equal(0, agent.ExitCode);
        Assert.Equal("komlogd stopped", agent.StdoutLines.Last());
        Assert.DoesNotContain(agent.StdoutLines, l => l.StartsWith("venv v: installed", StringComparison.Ordinal) || l.StartsWith("venv v: Starting", StringComparison.Ordinal));
        var log = await File.ReadAllTextAsync(Path.Combine(home.Cli.ConfigDir, "log", "komlogd.log"));
        Assert.Contains("Start cancelled by a stop request", log, StringComparison.Ordinal);
        // The install ran in a child komlogd (InstallerProcess): SIGTERM cancelled it, and it its tools (SIGINT, a Ctrl-C, does the same).
        Assert.Contains("Install cancelled by a stop request", log, StringComparison.Ordinal);
        Assert.NotEmpty(installing);
        await Eventually.WaitAsync(() => !installing.Any(p => Processes.IsAlive(p.Pid, p.CommandLine)),
            $"the install's processes to end: {string.Join("; ", installing.Select(p => $"{p.Pid} {p.CommandLine}"))}");
    }

    /// <summary>
    /// Ctrl-C while the first boot installs: the terminal's SIGINT reaches the agent and its installer child
    /// (one process group); the child cancels its install as on the agent's SIGTERM, and the agent stops.
    /// </summary>
    [Fact]
    public async Task CtrlCDuringTheFirstBootsInstallCancelsItInTheInstallerAndTheAgentStops()
    {
        await using var home = new AgentHome("ctrl-c-install");
        home.Configure(("v", "TestPkg.Basic"));
        var exitFile = Path.Combine(home.Home, "agent.exit");
        var logFile = Path.Combine(home.Cli.ConfigDir, "log", "komlogd.log");
        await using var tmux = await TmuxSession.StartAsync(["bash", "-c",
            $"trap '' INT; cd {home.Home}; HOME={home.Home} env --default-signal=INT dotnet {Repo.KomlogdDll}; echo $? > {exitFile}; sleep 600"],
            width: 160, height: 50);
        var agent = 0;
        try
        {
            await Eventually.WaitAsync(() => File.Exists(logFile) && File.ReadAllText(logFile).Contains("Installing venv v", StringComparison.Ordinal)
                && File.Exists(Path.Combine(home.Cli.ConfigDir, "komlogd.pid")), $"the install to start; screen:\n{tmux.Capture(200)}");
            agent = int.Parse(File.ReadAllText(Path.Combine(home.Cli.ConfigDir, "komlogd.pid")).Trim(), CultureInfo.InvariantCulture);
            await Eventually.WaitAsync(() => Processes.Descendants(agent).Count > 1, "the installer and its tool to run");
            var installing = Processes.Descendants(agent).Select(pid => (Pid: pid, CommandLine: Processes.CommandLine(pid))).Where(p => p.CommandLine.Length > 0).ToList();

            await tmux.SendKeysAsync("C-c");

            await Eventually.WaitAsync(() => File.Exists(exitFile) && File.ReadAllText(exitFile).Trim().Length > 0, $"the agent to exit; screen:\n{tmux.Capture(200)}", TimeSpan.FromMinutes(1));
            Assert.Equal("0", File.ReadAllText(exitFile).Trim());
            Assert.EndsWith("komlogd stopped", tmux.Capture(200).TrimEnd(), StringComparison.Ordinal);
            var log = await File.ReadAllTextAsync(logFile);
            Assert.Contains("Install cancelled by a stop request", log, StringComparison.Ordinal);
            Assert.Contains("Start cancelled by a stop request", log, StringComparison.Ordinal);
            await Eventually.WaitAsync(() => !installing.Any(p => Processes.IsAlive(p.Pid, p.CommandLine)),
                $"the install's processes to end: {string.Join("; ", installing.Select(p => $"{p.Pid} {p.CommandLine}"))}");
        }
        finally
        {
            if (agent > 0 && Processes.IsAlive(agent, "komlogd"))
            {
                Processes.Signal(agent, AgentProcess.SIGKILL);
            }
        }
    }

    /// <summary>The runs of the host's package that logged "finished", in order.</summary>
    private static List<int> Finished(string log, int host) =>
        [.. FinishedRegex().Matches(log).Where(m => m.Groups["host"].Value == host.ToString(CultureInfo.InvariantCulture))
            .Select(m => int.Parse(m.Groups["k"].Value, CultureInfo.InvariantCulture)).Order()];

    /// <summary>The log from the last agent start on (the fixture's agents run one after another).</summary>
    private static string ThisRun(string log) => log[Math.Max(0, log.LastIndexOf("Agent running", StringComparison.Ordinal))..];

    /// <summary>The running agent's pid, from its pid file.</summary>
    private int AgentPid() => int.Parse(File.ReadAllText(Path.Combine(Home.Cli.ConfigDir, "komlogd.pid")).Trim(), CultureInfo.InvariantCulture);

    [GeneratedRegex(@"run (?<k>\d+) finished in runs\.p(?<host>\d+)")]
    private static partial Regex FinishedRegex();

    [GeneratedRegex(@"orphan: grandchild (?<pid>\d+)")]
    private static partial Regex GrandchildRegex();
}
