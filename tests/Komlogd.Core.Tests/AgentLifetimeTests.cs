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

        await Eventually.WaitAsync(() => File.Exists(logFile) && BadConfigTests.ReadShared(logFile).Contains("Agent running", StringComparison.Ordinal), "the agent to run");
        Assert.False(agent.HasExited);
        agent.Signal(signal);

        Assert.True(await agent.WaitForExitAsync(TimeSpan.FromSeconds(30)), agent.Describe());
        Assert.Equal(0, agent.ExitCode);
        Assert.Contains("Agent stopped", BadConfigTests.ReadShared(logFile), StringComparison.Ordinal);
        Assert.True(File.Exists(Path.Combine(cli.ConfigDir, "data", "komlogd.db")));
    }

    public void Dispose() => _home.Dispose();
}
