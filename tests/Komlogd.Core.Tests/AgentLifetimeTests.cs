using System.Net.Sockets;

namespace Komlogd.Core.Tests;

public sealed class AgentLifetimeTests : IDisposable
{
    private readonly TempDir _home = new("agent");

    [Theory]
    [InlineData(AgentProcess.SIGINT)]
    [InlineData(AgentProcess.SIGTERM)]
    public async Task AnAgentWithoutPackagesRunsUntilSignalledThenExitsZero(int signal)
    {
        var cli = new KomlogdCli(_home.Path);
        cli.WriteConfig("- username: alice\n");
        var logFile = Path.Combine(cli.ConfigDir, "log", "komlogd.log");
        await using var agent = AgentProcess.Start(_home.Path);

        await Eventually.WaitAsync(() => File.Exists(logFile) && SharedFile.Read(logFile).Contains("Agent running", StringComparison.Ordinal), "the agent to run");
        Assert.False(agent.HasExited);
        agent.Signal(signal);

        Assert.True(await agent.WaitForExitAsync(TimeSpan.FromSeconds(30)), agent.Describe());
        Assert.Equal(0, agent.ExitCode);
        Assert.Contains("Agent stopped", SharedFile.Read(logFile), StringComparison.Ordinal);
        Assert.True(File.Exists(Path.Combine(cli.ConfigDir, "data", "komlogd.db")));
    }

    [Fact]
    public async Task ASecondAgentOnTheSameConfigDirIsRefusedWithOneLine()
    {
        var cli = new KomlogdCli(_home.Path);
        cli.WriteConfig("- username: alice\n");
        await using var first = AgentProcess.Start(_home.Path);
        var socket = Path.Combine(cli.ConfigDir, "komlogd.sock");
        await Eventually.WaitAsync(() => File.Exists(socket), "the control socket");

        var second = await cli.RunAsync();

        Assert.Equal(1, second.ExitCode);
        Assert.Equal($"another komlogd agent (pid {first.Pid}) is running with the config dir {cli.ConfigDir}; stop it first", Assert.Single(second.ErrorLines));
        Assert.False(first.HasExited);
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(socket));
    }

    /// <summary>A config dir so deep that its socket's path passes a Unix socket's 107 bytes: one line, not the runtime's stack trace.</summary>
    [Fact]
    public async Task AConfigDirTooDeepForItsSocketIsOneLineAndExit1()
    {
        var cli = new KomlogdCli(Path.Combine(_home.Path, new string('h', 110)));
        cli.WriteConfig("- username: alice\n");
        var socket = Path.Combine(cli.ConfigDir, "komlogd.sock");

        var result = await cli.RunAsync();

        Assert.Equal(1, result.ExitCode);
        Assert.Equal(
            $"the agent's control socket {socket} would be {socket.Length} bytes long, and a Unix socket's path is at most 107: "
            + "put komlogd.yaml in a directory with a shorter path (komlogd -c FILE); nothing was started",
            Assert.Single(result.ErrorLines));
        Assert.False(File.Exists(socket));
        // A sample still goes to the store, without an agent.
        Assert.Equal(0, (await cli.RunAsync(["-u", "deep.dir"], stdin: "x")).ExitCode);
        Assert.Contains("deep.dir", (await cli.RunAsync("data", "ls")).Stdout, StringComparison.Ordinal);
    }

    /// <summary>
    /// The control socket's listener and each client's reader are threads blocked in libc's <c>accept</c> and
    /// <c>recv</c> (Control/UnixSocket.cs): a stop must end both, so an agent with clients connected that say
    /// nothing (a console left open, a script that never wrote) still exits, and those clients see the end.
    /// </summary>
    [Fact]
    public async Task AnAgentWithSilentClientsConnectedStopsOnSignalAndEndsTheirConnections()
    {
        var cli = new KomlogdCli(_home.Path);
        cli.WriteConfig("- username: alice\n");
        var socket = Path.Combine(cli.ConfigDir, "komlogd.sock");
        await using var agent = AgentProcess.Start(_home.Path);
        await Eventually.WaitAsync(() => File.Exists(socket), "the control socket");
        var clients = new List<Socket>();
        try
        {
            for (var i = 0; i < 3; i++)
            {
                var client = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
                clients.Add(client);
                await client.ConnectAsync(new UnixDomainSocketEndPoint(socket));
            }
            // The agent serves others meanwhile.
            Assert.Equal(0, (await cli.RunAsync(["-u", "silent.clients"], stdin: "1")).ExitCode);

            agent.Signal(AgentProcess.SIGTERM);

            Assert.True(await agent.WaitForExitAsync(TimeSpan.FromSeconds(30)), agent.Describe());
            Assert.Equal(0, agent.ExitCode);
            foreach (var client in clients)
            {
                using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
                Assert.Equal(0, await client.ReceiveAsync(new byte[16], SocketFlags.None, timeout.Token));
            }
            Assert.False(File.Exists(socket), "a stopped agent removes its socket file");
        }
        finally
        {
            clients.ForEach(c => c.Dispose());
        }
    }

    [Fact]
    public async Task AStaleSocketAndLockFromAKilledAgentDoNotStopTheNextOne()
    {
        var cli = new KomlogdCli(_home.Path);
        cli.WriteConfig("- username: alice\n");
        var socket = Path.Combine(cli.ConfigDir, "komlogd.sock");
        await using (var dead = AgentProcess.Start(_home.Path))
        {
            await Eventually.WaitAsync(() => File.Exists(socket), "the control socket");
            dead.Signal(AgentProcess.SIGKILL);
            Assert.True(await dead.WaitForExitAsync(TimeSpan.FromSeconds(30)));
        }
        Assert.True(File.Exists(socket), "kill -9 leaves the socket file behind");

        // With no agent listening, -u falls back to the store.
        Assert.Equal(0, (await cli.RunAsync(["-u", "after.kill"], stdin: "x")).ExitCode);
        await using var next = AgentProcess.Start(_home.Path);
        await Eventually.WaitAsync(() => SharedFile.Read(Path.Combine(cli.ConfigDir, "log", "komlogd.log")).Contains($"pid {next.Pid}", StringComparison.Ordinal), "the next agent to run");

        var viaSocket = await cli.RunAsync(["-u", "after.kill"], stdin: "y");

        Assert.Equal(0, viaSocket.ExitCode);
        Assert.Equal(["y", "x"], (await cli.RunAsync("data", "get", "after.kill")).Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l.Split('\t')[1]));
    }

    public void Dispose() => _home.Dispose();
}
