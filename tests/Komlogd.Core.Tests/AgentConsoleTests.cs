using Komlogd.Core.Cli;
using Komlogd.Core.Configuration;
using Komlogd.Core.Logging;

namespace Komlogd.Core.Tests;

public sealed class AgentConsoleTests : IDisposable
{
    private readonly TempDir _dir = new("console");

    [Fact]
    public async Task TheLogPaneShowsEachLinesTimeLevelAndMessage()
    {
        // A line as the agent's file sink really writes it (LogSetup.FileTemplate), not a hand-made one.
        var config = new KomlogdConfig(Path.Combine(_dir.Path, "komlogd.yaml"), "alice", null, new LoggingOptions(), [], []);
        await using (var log = LogSetup.Create(config, stderr: false))
        {
            log.ForContext("Venv", "reactor").Information("TestPkg.Reactor: {Message}", "reactor loaded");
        }
        var line = SharedFile.Read(config.LogFile).Split('\n')[0];

        var shown = AgentConsole.PaneLine(line);

        Assert.Matches(@"^\d\d:\d\d:\d\d INF TestPkg\.Reactor: reactor loaded$", shown);
        Assert.Equal(line[11..19], shown[..8]);
        Assert.Equal("   at Foo.Bar()", AgentConsole.PaneLine("   at Foo.Bar()"));
    }

    [Fact]
    public void TheSampleViewMarksEveryNumberThePickedOneAndTheNamedOnes()
    {
        var text = "a 12 b\nc 3.5 [x]\n";
        var sample = new Protocol.Control.IdentifyResult("h.t", 0, text,
            [new(1, 2, 2, 12m, null), new(2, 9, 3, 3.5m, "c")], null, [], 0);

        var lines = AgentConsole.MarkedLines(sample, 0, 78, 16);
        var fromPicked = AgentConsole.MarkedLines(sample, 1, 78, 1);

        Assert.Equal(["a [reverse][[1]]12[/] b", "c [green][[2]]3.5[/] [[x]]"], lines);
        Assert.Equal(["c [reverse][[2]]3.5[/] [[x]]"], fromPicked);
    }

    public void Dispose() => _dir.Dispose();
}
