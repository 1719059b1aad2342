using System.Net.Sockets;
using System.Text;
using CliWrap;
using CliWrap.Buffered;

namespace Komlogd.Core.Tests;

/// <summary>
/// What a user and an admin run around the agent (docs/operations.md): --version, pubkey, sdk-feed, the
/// systemd units of 'service install' checked by systemd-analyze, the notify path, the journal's log format,
/// and the agent's lines on stdout.
/// </summary>
public sealed class OperationsTests : IDisposable
{
    private readonly TempDir _home = new("ops");

    private KomlogdCli Cli => new(_home.Path);

    [Fact]
    public async Task VersionPrintsTheBuildsVersion()
    {
        var result = await Cli.RunAsync("--version");

        Assert.Equal(0, result.ExitCode);
        Assert.StartsWith(Komlogd.Core.BuildInfo.Version, result.Stdout, StringComparison.Ordinal);
        Assert.Equal("0.1.0", Komlogd.Core.BuildInfo.Version);
    }

    [Fact]
    public async Task PubkeyPrintsThePublicKeyOrSaysWhyNot()
    {
        var none = await Cli.RunAsync("pubkey");
        Assert.Equal((2, $"{Cli.ConfigFile}: no such configuration file; run 'komlogd' once to create it"), (none.ExitCode, Assert.Single(none.ErrorLines)));

        Cli.WriteConfig("- username: alice\n");
        var pubkey = await Cli.RunAsync("pubkey");
        Assert.Equal(0, pubkey.ExitCode);
        Assert.Equal(File.ReadAllText(Path.Combine(Cli.ConfigDir, "key.pub")), pubkey.Stdout);
        Assert.StartsWith("ssh-rsa ", pubkey.Stdout, StringComparison.Ordinal);

        File.Delete(Path.Combine(Cli.ConfigDir, "key.pub"));
        var gone = await Cli.RunAsync("pubkey");
        Assert.Equal((1, $"{Path.Combine(Cli.ConfigDir, "key.pub")}: no public key; run 'komlogd' once to create the key pair"), (gone.ExitCode, Assert.Single(gone.ErrorLines)));
    }

    [Fact]
    public async Task SdkFeedPrintsTheConfigDirsCopyOfThisBuildsSdk()
    {
        var result = await Cli.RunAsync("sdk-feed");

        Assert.Equal(0, result.ExitCode);
        var feed = result.Stdout.Trim();
        Assert.Equal(Path.Combine(Cli.ConfigDir, "sdk-feed"), feed);
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute, File.GetUnixFileMode(Cli.ConfigDir));
        var copy = Assert.Single(Directory.GetFiles(feed));
        Assert.Equal(File.ReadAllBytes(Path.Combine(TestFeed.SdkFeed, "Komlogd.Sdk.0.1.0.nupkg")), File.ReadAllBytes(copy));
    }

    [Fact]
    public async Task AUserServiceInstallWritesAUnitSystemdAcceptsAndTheConfigItRunsWith()
    {
        var units = _home["units"];

        var install = await Cli.RunAsync("service", "install", "--unit-dir", units);

        Assert.True(install.ExitCode == 0, install.ToString());
        var unit = File.ReadAllText(Path.Combine(units, "komlogd.service"));
        Assert.Contains($"ExecStart={DotnetRoot()}/dotnet {Repo.KomlogdDll} -c {Cli.ConfigFile}\n", unit, StringComparison.Ordinal);
        Assert.Contains("Type=notify\n", unit, StringComparison.Ordinal);
        Assert.DoesNotContain("@", unit.Split('\n').Where(l => !l.StartsWith('#')).Aggregate("", string.Concat), StringComparison.Ordinal);
        Assert.Equal("", await VerifyAsync(Path.Combine(units, "komlogd.service"), user: true));
        // A configuration it can start with: the template, a username, keys.
        Assert.Contains("- username: root", File.ReadAllText(Cli.ConfigFile), StringComparison.Ordinal);
        Assert.True(File.Exists(Path.Combine(Cli.ConfigDir, "key.priv")));
        Assert.Contains($"created {Cli.ConfigFile}", install.Stdout, StringComparison.Ordinal);
        Assert.Contains("systemctl --user daemon-reload && systemctl --user enable --now komlogd", install.Stdout, StringComparison.Ordinal);

        var uninstall = await Cli.RunAsync("service", "uninstall", "--unit-dir", units);
        Assert.Equal(0, uninstall.ExitCode);
        Assert.False(File.Exists(Path.Combine(units, "komlogd.service")));
        Assert.True(File.Exists(Cli.ConfigFile), "the configuration stays");
        var again = await Cli.RunAsync("service", "uninstall", "--unit-dir", units);
        Assert.Equal((2, $"{Path.Combine(units, "komlogd.service")}: no komlogd unit there; nothing to remove"), (again.ExitCode, Assert.Single(again.ErrorLines)));
    }

    [Fact]
    public async Task ASystemServiceInstallRunsAsItsOwnUserWithHardeningSystemdAccepts()
    {
        // An existing system account, so the test creates no user on the machine (komlogd, the default, would be).
        var config = _home["etc/komlogd.yaml"];

        var install = await Cli.RunAsync("service", "install", "--system", "--as-user", "daemon", "--unit-dir", _home["units"], "-c", config);

        Assert.True(install.ExitCode == 0, install.ToString());
        var unitFile = _home["units/komlogd.service"];
        var unit = File.ReadAllText(unitFile);
        Assert.All(new[] { "User=daemon\n", "Type=notify\n", $"ReadWritePaths={_home["etc"]}\n", $"Environment=HOME={_home["etc"]}\n", "ProtectSystem=strict\n", "NoNewPrivileges=yes\n" },
            line => Assert.Contains(line, unit, StringComparison.Ordinal));
        Assert.Equal("", await VerifyAsync(unitFile, user: false));
        Assert.Contains("- username: daemon", File.ReadAllText(config), StringComparison.Ordinal);
        Assert.Equal("daemon", await OwnerAsync(config));
        Assert.Equal("daemon", await OwnerAsync(_home["etc/key.priv"]));
    }

    [Fact]
    public async Task ASystemServiceForAUserThatCannotBeCreatedCreatesNothing()
    {
        var result = await Cli.RunAsync("service", "install", "--system", "--as-user", "bad name", "--unit-dir", _home["units"], "-c", _home["etc/komlogd.yaml"]);

        Assert.Equal(1, result.ExitCode);
        var line = Assert.Single(result.ErrorLines);
        Assert.StartsWith("useradd --system --user-group", line, StringComparison.Ordinal);
        Assert.Contains("invalid user name 'bad name'", line, StringComparison.Ordinal);
        Assert.False(Directory.Exists(_home["etc"]));
        Assert.False(Directory.Exists(_home["units"]));
    }

    [Fact]
    public async Task AConfigPathSystemdCannotTakeIsRefusedWithOneLine()
    {
        var config = _home["with space/komlogd.yaml"];

        var result = await Cli.RunAsync("service", "install", "--unit-dir", _home["units"], "-c", config);

        Assert.Equal(2, result.ExitCode);
        Assert.Equal($"{config}: a path for a systemd unit may not hold whitespace, quotes, \\, %, $ or ; (move it)", Assert.Single(result.ErrorLines));
        Assert.False(File.Exists(config));
    }

    [Fact]
    public async Task AUnitDirThatCannotBeWrittenIsOneLine()
    {
        File.WriteAllText(_home["file"], "");

        var result = await Cli.RunAsync("service", "install", "--unit-dir", _home["file/units"]);

        Assert.Equal(1, result.ExitCode);
        Assert.StartsWith($"cannot write {_home["file/units/komlogd.service"]}: ", Assert.Single(result.ErrorLines), StringComparison.Ordinal);
    }

    [Fact]
    public async Task UnderSystemdTheAgentSaysReadyAndStoppingOnTheNotifySocketAndLogsForTheJournal()
    {
        Cli.WriteConfig("- username: alice\n");
        var socketFile = _home["notify.sock"];
        using var notify = new Socket(AddressFamily.Unix, SocketType.Dgram, ProtocolType.Unspecified);
        notify.Bind(new UnixDomainSocketEndPoint(socketFile));
        var messages = new List<string>();
        var listening = Task.Run(async () =>
        {
            var buffer = new byte[4096];
            while (true)
            {
                var n = await notify.ReceiveAsync(buffer);
                lock (messages)
                {
                    messages.Add(Encoding.UTF8.GetString(buffer, 0, n));
                }
            }
        });
        string[] Messages()
        {
            lock (messages)
            {
                return [.. messages];
            }
        }
        var env = new Dictionary<string, string> { ["NOTIFY_SOCKET"] = socketFile, ["JOURNAL_STREAM"] = "8:12345", ["INVOCATION_ID"] = "0123456789abcdef" };

        await using var agent = AgentProcess.Start(_home.Path, [], env);

        await Eventually.WaitAsync(() => Messages().Any(m => m.Contains("READY=1", StringComparison.Ordinal)), $"READY=1; {agent.Describe()}");
        // Ready means ready: the control socket answers.
        Assert.Equal(0, (await Cli.RunAsync("status")).ExitCode);
        Assert.DoesNotContain(Messages(), m => m.Contains("STOPPING=1", StringComparison.Ordinal));
        agent.Signal(AgentProcess.SIGTERM);
        Assert.True(await agent.WaitForExitAsync(TimeSpan.FromSeconds(30)), agent.Describe());
        Assert.Equal(0, agent.ExitCode);
        await Eventually.WaitAsync(() => Messages().Any(m => m.Contains("STOPPING=1", StringComparison.Ordinal)), "STOPPING=1");
        Assert.False(listening.IsFaulted);
        // The journal reads the priority from "<N>"; the time is its own. stdout stays quiet under systemd.
        Assert.Contains(agent.StderrLines, l => l.StartsWith("<6>Agent running: pid", StringComparison.Ordinal));
        Assert.Contains(agent.StderrLines, l => l == "<6>Agent stopped");
        Assert.Empty(agent.StdoutLines);
    }

    [Fact]
    public async Task TheAgentSaysOnStdoutThatItRunsAndStopsUnlessQuiet()
    {
        Cli.WriteConfig("- username: alice\n");
        await using (var agent = AgentProcess.Start(_home.Path))
        {
            await Eventually.WaitAsync(() => agent.StdoutLines.Any(), "the start line");
            agent.Signal(AgentProcess.SIGINT);
            Assert.True(await agent.WaitForExitAsync(TimeSpan.FromSeconds(30)), agent.Describe());

            Assert.Equal(
                [$"komlogd {Komlogd.Core.BuildInfo.Version} running: pid {agent.Pid}, config {Cli.ConfigFile}, venvs: none; log {Path.Combine(Cli.ConfigDir, "log", "komlogd.log")}; stop it with kill -TERM {agent.Pid}",
                 "komlogd stopping: venvs first, then the store", "komlogd stopped"],
                agent.StdoutLines);
        }
        await using (var quiet = AgentProcess.Start(_home.Path, "-q"))
        {
            await Eventually.WaitAsync(() => File.Exists(Path.Combine(Cli.ConfigDir, "komlogd.sock")) && Cli.RunAsync("status").GetAwaiter().GetResult().ExitCode == 0, "the quiet agent to run");
            quiet.Signal(AgentProcess.SIGTERM);
            Assert.True(await quiet.WaitForExitAsync(TimeSpan.FromSeconds(30)), quiet.Describe());
            Assert.Equal(0, quiet.ExitCode);
            Assert.Empty(quiet.StdoutLines);
        }
    }

    private Task<string> VerifyAsync(string unitFile, bool user) => SystemdAnalyze.VerifyAsync(unitFile, user, _home["xdg-runtime"]);

    private static async Task<string> OwnerAsync(string path) =>
        (await CliWrap.Cli.Wrap("stat").WithArguments(["-c", "%U", path]).ExecuteBufferedAsync()).StandardOutput.Trim();

    private static string DotnetRoot() => Komlogd.Core.Service.ServiceUnit.DotnetRoot;

    public void Dispose() => _home.Dispose();
}
