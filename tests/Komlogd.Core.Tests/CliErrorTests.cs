namespace Komlogd.Core.Tests;

/// <summary>Commands that need something that is not there answer with one line, never a stack trace.</summary>
public sealed class CliErrorTests : IDisposable
{
    private readonly TempDir _home = new("clierrors");
    private readonly KomlogdCli _cli;

    public CliErrorTests()
    {
        _cli = new KomlogdCli(_home.Path);
        _cli.WriteConfig("- username: alice\n");
    }

    [Theory]
    [InlineData("status")]
    [InlineData("restart", "default")]
    [InlineData("reload")]
    [InlineData("console")]
    public async Task CommandsForTheRunningAgentSayWhenItIsNotRunning(params string[] args)
    {
        var result = await _cli.RunAsync(args);

        Assert.Equal(1, result.ExitCode);
        Assert.Equal($"komlogd is not running (no agent listens on {_cli.ConfigDir}/komlogd.sock); start it with 'komlogd'", Assert.Single(result.ErrorLines));
    }

    [Fact]
    public async Task TheChildOptionIsReserved()
    {
        var result = await _cli.RunAsync("-v", "default");

        Assert.Equal(2, result.ExitCode);
        Assert.Equal("komlogd: -v/--venv is reserved for the agent's own children; the agent starts them itself", Assert.Single(result.ErrorLines));
    }

    [Fact]
    public async Task LogsBeforeTheAgentEverRanSaySo()
    {
        var result = await _cli.RunAsync("logs");

        Assert.Equal(2, result.ExitCode);
        Assert.Equal($"{_cli.ConfigDir}/log/komlogd.log: no log yet; the agent writes it once it runs", Assert.Single(result.ErrorLines));
    }

    [Fact]
    public async Task AStaleSocketFileIsNotARunningAgent()
    {
        await File.WriteAllTextAsync(Path.Combine(_cli.ConfigDir, "komlogd.sock"), "");

        var result = await _cli.RunAsync("status", "--json");

        Assert.Equal(1, result.ExitCode);
        Assert.StartsWith("komlogd is not running", Assert.Single(result.ErrorLines), StringComparison.Ordinal);
    }

    public void Dispose() => _home.Dispose();
}
