using Komlogd.Core.Cli;
using Komlogd.Protocol.Control;

namespace Komlogd.Core.Tests;

/// <summary>
/// The short entry (<see cref="ShortCommands"/>) takes only the plain forms of <c>-u</c>, <c>status</c> and the
/// agent's start (<c>komlogd [-c FILE] [-q]</c>, run by the agent tests through a real process); everything
/// else goes to the full command line, so help, typos and other options keep their usual answers.
/// </summary>
public sealed class ShortCommandsTests : IDisposable
{
    private readonly TempDir _home = new("short");

    [Theory]
    [InlineData("--help")]
    [InlineData("status", "--verbose")]
    [InlineData("status", "extra")]
    [InlineData("status", "--json", "--json")]
    [InlineData("--json", "status")]
    [InlineData("-u")]
    [InlineData("-u", "a", "-u", "b")]
    [InlineData("-u", "a", "status")]
    [InlineData("-u", "a", "--quiet")]
    [InlineData("status", "-q")]
    [InlineData("-q", "-q")]
    [InlineData("--quiet", "--venv", "x")]
    [InlineData("--datapoint")]
    [InlineData("--supplies", "none")]
    [InlineData("data", "ls")]
    [InlineData("identify", "host.df")]
    [InlineData("-c")]
    [InlineData("reload", "status")]
    public void AnythingButThePlainFormsGoesToTheFullCommandLine(params string[] args)
    {
        Assert.Null(ShortCommands.TryRun(args));
    }

    /// <summary>Through the real command: each plain form of status, -c before or after it, is served and says no agent runs.</summary>
    [Theory]
    [InlineData("-c", "{0}", "status")]
    [InlineData("-c", "{0}", "status", "--json")]
    [InlineData("status", "-c", "{0}")]
    [InlineData("--config", "{0}", "status", "--json")]
    public async Task StatusInItsPlainFormsSaysWhenNoAgentRuns(params string[] args)
    {
        var cli = new KomlogdCli(_home.Path);
        cli.WriteConfig("- username: alice\n");

        var result = await cli.RunAsync([.. args.Select(a => a == "{0}" ? cli.ConfigFile : a)]);

        Assert.Equal(ExitCodes.Failure, result.ExitCode);
        Assert.Equal($"komlogd is not running (no agent listens on {cli.ConfigDir}/komlogd.sock); start it with 'komlogd'", Assert.Single(result.ErrorLines));
    }

    public void Dispose() => _home.Dispose();
}

/// <summary><c>komlogd status</c>'s text: aligned columns, states coloured only on a terminal, no trailing spaces.</summary>
public sealed class StatusReportTests
{
    private static readonly AgentStatus Status = new(
        Pid: 4242,
        StartedAt: "2026-12-02T05:00:00.000Z",
        ConfigFile: "/etc/komlogd/komlogd.yaml",
        UptimeSeconds: 3723,
        StoreBytes: 2048,
        SamplesPerSecond: 2.5,
        SamplesTotal: 900,
        Venvs:
        [
            new VenvStatusDto("default", "Running", 101, 0, "2026-12-02T05:00:00.000Z", 60, null, [new PackageDto("Kpack.Linux", "0.1.0", null)], new RunsDto(12, 0, 0, 0)),
            new VenvStatusDto("a-much-longer-venv", "Fatal", null, 5, "2026-12-02T05:00:00.000Z", 0, "no entry point", [new PackageDto("Broken", "1.0.0", null)]),
        ],
        Exports: [new ExportStatusDto("http://127.0.0.1:9090/api/v1/write", "prometheus_remote_write", "Backoff", 120, 7.5, "connection refused", 1000, 3, 0)]);

    [Fact]
    public void ColumnsLineUpAndNoLineEndsInASpace()
    {
        var lines = StatusReport.Render(Status, colour: false).Split('\n', StringSplitOptions.RemoveEmptyEntries);

        Assert.Equal("komlogd pid 4242, up 1h2m, store 2 KiB, 2.5 samples/s (900 since start)", lines[0]);
        var venvs = lines[1..4];
        Assert.All(venvs, l => Assert.Equal(venvs[0].IndexOf("state", StringComparison.Ordinal), l.IndexOfAny(['R', 'F', 's'], "a-much-longer-venv".Length)));
        Assert.Contains("default             Running  101", lines[2], StringComparison.Ordinal);
        Assert.EndsWith("no entry point", lines[3], StringComparison.Ordinal);
        Assert.StartsWith("export", lines[4], StringComparison.Ordinal);
        Assert.Contains("Backoff  120 (7s)", lines[5], StringComparison.Ordinal);
        Assert.All(lines, l => Assert.False(l.EndsWith(' '), $"'{l}' ends in a space"));
        Assert.DoesNotContain('\u001b', string.Concat(lines));
    }

    [Fact]
    public void OnATerminalOnlyTheStatesAreColoured()
    {
        var text = StatusReport.Render(Status, colour: true);

        Assert.Contains("\u001b[32mRunning\u001b[0m", text, StringComparison.Ordinal);
        Assert.Contains("\u001b[31mFatal  \u001b[0m", text, StringComparison.Ordinal);
        Assert.Contains("\u001b[33mBackoff\u001b[0m", text, StringComparison.Ordinal);
        Assert.Equal(3, text.Split('\u001b').Length / 2);
        Assert.Equal(StatusReport.Render(Status, colour: false), text.Replace("\u001b[32m", "", StringComparison.Ordinal).Replace("\u001b[31m", "", StringComparison.Ordinal).Replace("\u001b[33m", "", StringComparison.Ordinal).Replace("\u001b[0m", "", StringComparison.Ordinal));
    }

    [Fact]
    public void AStoreThatFailsAndAnAgentWithoutVenvsSaySo()
    {
        var text = StatusReport.Render(Status with { Venvs = [], Exports = [], StoreError = "disk full" }, colour: false);

        Assert.Equal(
            "komlogd pid 4242, up 1h2m, store 2 KiB, 2.5 samples/s (900 since start)\n"
            + "store failing: disk full\n"
            + "venv        state  pid  uptime  restarts  runs  packages  last error\n"
            + "(no venvs)\n",
            text);
    }
}
