using Komlogd.Core.Configuration;
using Komlogd.Core.Logging;

namespace Komlogd.Core.Tests;

/// <summary>
/// logging.format: the original's Python format strings become Serilog templates, and a venv's lines are
/// still found by <c>komlogd logs VENV</c> and the console whatever the format.
/// </summary>
public sealed class PythonLogFormatTests : IDisposable
{
    private readonly TempDir _home = new("logformat");

    [Theory]
    // The original komlogd's default.
    [InlineData("%(asctime)s - %(levelname)s - %(processName)s - %(filename)s:%(lineno)d - %(message)s",
        "{Timestamp:yyyy-MM-dd HH:mm:ss,fff} - {LevelName} - {ProcessName} - -:- - {VenvTag}{Message:lj}{NewLine}{Exception}")]
    [InlineData("%(asctime)s - %(name)s - %(levelname)s - %(message)s",
        "{Timestamp:yyyy-MM-dd HH:mm:ss,fff} - {LoggerName} - {LevelName} - {VenvTag}{Message:lj}{NewLine}{Exception}")]
    [InlineData("[%(levelname)-8s] %(asctime)s.%(msecs)03d {%(process)d} 100%% %(message)s (%(levelno)s)",
        "[{LevelName,-8}] {Timestamp:yyyy-MM-dd HH:mm:ss,fff}.{Timestamp,3:fff} {{{ProcessId}}} 100% {VenvTag}{Message:lj} ({LevelNo}){NewLine}{Exception}")]
    public void PythonFormatsBecomeSerilogTemplates(string format, string template)
    {
        Assert.Equal(template, PythonLogFormat.Parse(format).OutputTemplate);
    }

    [Theory]
    [InlineData("%(asctime)s %(colour)s %(message)s", "%(colour) is not a Python logging attribute (known: message, asctime, ")]
    [InlineData("%(asctime)s %s %(message)s", "'%' at position 13: a '%' starts %(name)s (e.g. %(message)s) or is written %%")]
    [InlineData("%(asctime)s %(message)", "'%' at position 13: a '%' starts %(name)s")]
    [InlineData("%(asctime)s %(levelname)s", "the format has no %(message)s")]
    [InlineData("%(message)s %(message)s", "%(message)s appears twice")]
    public void AFormatMistakeSaysWhichRuleItBreaks(string format, string error)
    {
        var e = Assert.Throws<FormatException>(() => PythonLogFormat.Parse(format));
        Assert.StartsWith(error, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AMistakeInTheConfigIsOneLineNamingTheFileLineAndBlock()
    {
        var cli = new KomlogdCli(_home.Path);
        cli.WriteConfig("- username: alice\n- logging:\n    format: '%(asctime)s %(colour)s %(message)s'\n");

        var result = await cli.RunAsync();

        Assert.Equal(2, result.ExitCode);
        Assert.StartsWith($"{cli.ConfigFile}:3: block 2 'logging': format '%(asctime)s %(colour)s %(message)s': %(colour) is not a Python logging attribute",
            Assert.Single(result.ErrorLines), StringComparison.Ordinal);
    }

    [Fact]
    public async Task LogsVenvFindsItsLinesWithACustomFormatAndWithTheDefaultOne()
    {
        var cli = new KomlogdCli(_home.Path);
        // A format whose text before the message could pass for a venv tag: "[INFO] ".
        var file = cli.WriteConfig("- username: alice\n- logging:\n    format: '[%(levelname)s] %(asctime)s %(processName)s: %(message)s'\n");
        var config = ConfigLoader.Load(file);
        // Lines of the default format first (written before the format was set), then of the custom one.
        Write(config with { Logging = config.Logging with { Format = null } }, "before");
        Write(config, "after");
        var text = SharedFile.Read(config.LogFile);

        var web = await cli.RunAsync("logs", "web");
        var info = await cli.RunAsync("logs", "INFO");

        Assert.Matches(@"\[INFO\] \d{4}-\d\d-\d\d \d\d:\d\d:\d\d,\d{3} web: \[web\] after: from the package", text);
        Assert.Matches(@"\[WARNING\] \d{4}-\d\d-\d\d \d\d:\d\d:\d\d,\d{3} komlogd: after: the agent names \[web\] ", text);
        Assert.Equal(0, web.ExitCode);
        var lines = web.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(2, lines.Length);
        Assert.EndsWith("[web] before: from the package", lines[0], StringComparison.Ordinal);
        Assert.EndsWith("[web] after: from the package", lines[1], StringComparison.Ordinal);
        Assert.Equal("", info.Stdout);

        // The console's log pane reads the same way and shows the message.
        var reader = LogLines.For(config.Logging);
        Assert.Equal(["before: from the package", "after: from the package"],
            text.Split('\n').Select(l => reader.VenvMessage(l, "web")).OfType<string>());
    }

    private static void Write(KomlogdConfig config, string when)
    {
        using var log = LogSetup.Create(config, stderr: false);
        log.ForContext("Venv", "web").Information("{When}: from the package", when);
        log.Warning("{When}: the agent names [web] in its own line", when);
        log.ForContext("Venv", "other").Information("{When}: another venv", when);
    }

    public void Dispose() => _home.Dispose();
}
