
namespace Komlogd.Agent.Tests;

public sealed class NoOrphanTests
{
    [Theory]
    [InlineData(AgentProcess.SIGKILL)]
    [InlineData(AgentProcess.SIGTERM)]
    public async Task NoPluginHostOutlivesTheAgent(int signal)
    {
        await using var home = new AgentHome("orphan");
        home.Configure(("one", "TestPkg.Basic"), ("two", "TestPkg.Spam"));
        var agent = home.Start();
        var one = (await home.WaitForVenvAsync("one", "Running")).GetProperty("pid").GetInt32();
        var two = (await home.WaitForVenvAsync("two", "Running")).GetProperty("pid").GetInt32();
        Assert.True(IsHost(one) && IsHost(two));

        agent.Signal(signal);

        Assert.True(await agent.WaitForExitAsync(TimeSpan.FromSeconds(30)), home.Log());
        if (signal == AgentProcess.SIGTERM)
        {
            Assert.Equal(0, agent.ExitCode);
            Assert.Contains("Agent stopped", home.Log(), StringComparison.Ordinal);
        }
        await Eventually.WaitAsync(() => !IsHost(one) && !IsHost(two), "every plugin host to be gone", TimeSpan.FromSeconds(30));
    }

    private static bool IsHost(int pid) => Processes.IsAlive(pid, "Komlogd.PluginHost");
}
