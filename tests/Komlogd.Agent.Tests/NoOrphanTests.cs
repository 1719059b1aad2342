
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
        Assert.True(IsAlive(one) && IsAlive(two));

        agent.Signal(signal);

        Assert.True(await agent.WaitForExitAsync(TimeSpan.FromSeconds(30)), home.Log());
        if (signal == AgentProcess.SIGTERM)
        {
            Assert.Equal(0, agent.ExitCode);
            Assert.Contains("Agent stopped", home.Log(), StringComparison.Ordinal);
        }
        await Eventually.WaitAsync(() => !IsAlive(one) && !IsAlive(two), "every plugin host to be gone", TimeSpan.FromSeconds(30));
    }

    private static bool IsAlive(int pid)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            return !stat.Contains(") Z ", StringComparison.Ordinal) && File.ReadAllText($"/proc/{pid}/cmdline").Contains("Komlogd.PluginHost", StringComparison.Ordinal);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }
}
