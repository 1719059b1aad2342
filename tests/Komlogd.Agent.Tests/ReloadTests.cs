namespace Komlogd.Agent.Tests;

public sealed class ReloadTests
{
    [Fact]
    public async Task ReloadStartsAddedVenvsStopsRemovedOnesAndLeavesTheRestRunning()
    {
        await using var home = new AgentHome("reload");
        home.Configure(("keep", "TestPkg.Basic"), ("drop", "TestPkg.Basic"));
        home.Start();
        var keep = (await home.WaitForVenvAsync("keep", "Running")).GetProperty("pid").GetInt32();
        var drop = (await home.WaitForVenvAsync("drop", "Running")).GetProperty("pid").GetInt32();

        home.Configure(("keep", "TestPkg.Basic"), ("added", "TestPkg.Reactor"));
        var reload = await home.Cli.RunAsync("reload");

        Assert.True(reload.ExitCode == 0, reload.ToString());
        Assert.Equal(["drop: removed", "added: added"], reload.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        await home.WaitForVenvAsync("added", "Running");
        var status = await home.StatusAsync();
        Assert.Null(AgentHome.Venv(status, "drop"));
        Assert.Equal(keep, AgentHome.Venv(status, "keep")!.Value.GetProperty("pid").GetInt32());
        Assert.False(Directory.Exists(Path.Combine(home.Cli.ConfigDir, ".venvs", "drop")));
        await Eventually.WaitAsync(() => !File.Exists($"/proc/{drop}/cmdline") || !File.ReadAllText($"/proc/{drop}/cmdline").Contains("PluginHost", StringComparison.Ordinal), "the dropped venv's child to end");
    }

    [Fact]
    public async Task AReloadOfABrokenConfigurationChangesNothingAndSaysWhy()
    {
        await using var home = new AgentHome("reload-bad");
        home.Configure(("keep", "TestPkg.Basic"));
        home.Start();
        var keep = (await home.WaitForVenvAsync("keep", "Running")).GetProperty("pid").GetInt32();
        await File.AppendAllTextAsync(home.Cli.ConfigFile, "- username: second\n");

        var reload = await home.Cli.RunAsync("reload");

        Assert.Equal(2, reload.ExitCode);
        Assert.EndsWith("'username': More than one username found in configuration file. Keep only one.", Assert.Single(reload.ErrorLines), StringComparison.Ordinal);
        var status = await home.StatusAsync();
        Assert.Equal(keep, AgentHome.Venv(status, "keep")!.Value.GetProperty("pid").GetInt32());
    }
}
