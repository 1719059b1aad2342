using Komlogd.Core.Configuration;
using Komlogd.Core.Logging;
using Serilog.Debugging;

namespace Komlogd.Core.Tests;

/// <summary>
/// The log file rotated as the original's Python handler did: <c>komlogd.log</c> stays the live file,
/// <c>komlogd.log.1</c> … <c>.N</c> the older ones; writers in other processes append without clobbering.
/// </summary>
public sealed class LogRotationTests : IDisposable
{
    private readonly TempDir _home = new("logrotation");

    [Fact]
    public void TheLiveFileKeepsItsNameAndTheBackupsShiftUp()
    {
        var config = Config(new LoggingOptions { MaxBytes = 400, BackupCount = 2 });
        WriteEvents(config, rotate: true);

        Assert.Equal(["komlogd.log", "komlogd.log.1", "komlogd.log.2"], LogFiles(config));
        var live = Events(config.LogFile);
        Assert.Equal(39, live[^1]);
        // Oldest first across the kept files, no gap and no repeat: .2, .1, then the live file.
        var kept = Events(config.LogFile + ".2").Concat(Events(config.LogFile + ".1")).Concat(live).ToList();
        Assert.Equal(Enumerable.Range(kept[0], kept.Count), kept);
        Assert.True(kept[0] > 0, "older events than backup_count files hold are gone");
        foreach (var file in Directory.GetFiles(config.LogDir))
        {
            Assert.InRange(new FileInfo(file).Length, 1, 399);
        }
    }

    [Fact]
    public void WithNoBackupsTheLiveFileStartsAnew()
    {
        var config = Config(new LoggingOptions { MaxBytes = 400, BackupCount = 0 });
        WriteEvents(config, rotate: true);

        Assert.Equal(["komlogd.log"], LogFiles(config));
        Assert.InRange(new FileInfo(config.LogFile).Length, 1, 399);
        Assert.Equal(39, Events(config.LogFile)[^1]);
    }

    [Fact]
    public void WithoutRotationOrInACommandTheFileOnlyGrows()
    {
        var off = Config(new LoggingOptions { MaxBytes = 400, Rotation = false });
        WriteEvents(off, rotate: true);
        Assert.Equal(["komlogd.log"], LogFiles(off));
        Assert.Equal(Enumerable.Range(0, 40), Events(off.LogFile));

        // A command (rotate: false) appends past max_bytes and leaves the rotating to the agent.
        var command = Config(new LoggingOptions { MaxBytes = 400, BackupCount = 2 }, "command");
        WriteEvents(command, rotate: false);
        Assert.Equal(["komlogd.log"], LogFiles(command));
        Assert.True(new FileInfo(command.LogFile).Length > 400);
    }

    [Fact]
    public void AnEventLargerThanMaxBytesIsWrittenWhole()
    {
        var config = Config(new LoggingOptions { MaxBytes = 100, BackupCount = 1 });
        var big = new string('x', 300);
        using (var log = LogSetup.Create(config, stderr: false, rotate: true))
        {
            log.Information("first {Big}", big);
            log.Information("second {Big}", big);
        }

        Assert.Contains("first " + big, File.ReadAllText(config.LogFile + ".1"), StringComparison.Ordinal);
        Assert.Contains("second " + big, File.ReadAllText(config.LogFile), StringComparison.Ordinal);
    }

    [Fact]
    public void TwoWritersAppendWithoutWritingOverEachOther()
    {
        // Two loggers, two descriptors on one file, as the agent and a command in two processes: each event
        // lands at the end of the file, whoever wrote last (a FileStream's own position would overwrite).
        var config = Config(new LoggingOptions { Rotation = false });
        using (var agent = LogSetup.Create(config, stderr: false, rotate: true))
        using (var command = LogSetup.Create(config, stderr: false))
        {
            for (var i = 0; i < 100; i++)
            {
                agent.Information("agent event {N:000}", i);
                command.Information("command event {N:000}", i);
            }
        }

        var lines = File.ReadAllLines(config.LogFile);
        Assert.Equal(200, lines.Length);
        for (var i = 0; i < 100; i++)
        {
            Assert.EndsWith($"agent event {i:000}", lines[2 * i], StringComparison.Ordinal);
            Assert.EndsWith($"command event {i:000}", lines[(2 * i) + 1], StringComparison.Ordinal);
        }
    }

    [Fact]
    public void AFileThatCannotBeOpenedIsReportedAndTheNextEventTriesAgain()
    {
        var config = Config(new LoggingOptions { BackupCount = 2 });
        Directory.CreateDirectory(config.LogFile); // the log's path is taken by a directory
        FailsThenRecovers(config, "cannot open: Is a directory", () => Directory.Delete(config.LogFile));
    }

    [Fact]
    public void AWriteThatFailsIsReportedAndTheFileIsOpenedAgainForTheNextEvent()
    {
        // /dev/full: every write fails with ENOSPC, as on a full disk.
        var config = Config(new LoggingOptions { BackupCount = 2 });
        Directory.CreateDirectory(config.LogDir);
        File.CreateSymbolicLink(config.LogFile, "/dev/full");
        FailsThenRecovers(config, "cannot write: No space left on device", () => File.Delete(config.LogFile));
    }

    [Fact]
    public void ARotationThatFailsIsReportedAndTheEventStillWritten()
    {
        var config = Config(new LoggingOptions { MaxBytes = 100, BackupCount = 1 });
        Directory.CreateDirectory(config.LogFile + ".1/taken"); // komlogd.log cannot be renamed over a full directory
        var reported = new List<string>();
        SelfLog.Enable(m => { lock (reported) { reported.Add(m); } });
        try
        {
            using (var log = LogSetup.Create(config, stderr: false, rotate: true))
            {
                log.Information("first event, long enough to fill the file to its max_bytes of one hundred");
                log.Information("second event: the file cannot rotate");
            }
            lock (reported)
            {
                Assert.Contains(reported, m => m.Contains($"{config.LogFile}: cannot rotate: ", StringComparison.Ordinal));
            }
            var lines = File.ReadAllLines(config.LogFile);
            Assert.Equal(2, lines.Length);
            Assert.EndsWith("second event: the file cannot rotate", lines[1], StringComparison.Ordinal);
        }
        finally
        {
            SelfLog.Disable();
        }
    }

    /// <summary>
    /// The agent's first event fails with <paramref name="error"/> on Serilog's SelfLog, and no exception reaches
    /// the caller; once <paramref name="fix"/> has run, the next event is in the file.
    /// </summary>
    private static void FailsThenRecovers(KomlogdConfig config, string error, Action fix)
    {
        var reported = new List<string>();
        SelfLog.Enable(m => { lock (reported) { reported.Add(m); } });
        try
        {
            using var log = LogSetup.Create(config, stderr: false, rotate: true);
            log.Information("lost: the file cannot take it");
            lock (reported)
            {
                Assert.Contains(reported, m => m.Contains($"{config.LogFile}: {error}", StringComparison.Ordinal));
            }

            fix();
            log.Information("kept: the file is back");
            Assert.EndsWith("kept: the file is back", File.ReadAllText(config.LogFile).TrimEnd(), StringComparison.Ordinal);
        }
        finally
        {
            SelfLog.Disable();
        }
    }

    /// <summary>Events 000 to 039 through a logger of the agent (<paramref name="rotate"/>) or of a command.</summary>
    private static void WriteEvents(KomlogdConfig config, bool rotate)
    {
        using var log = LogSetup.Create(config, stderr: false, rotate: rotate);
        for (var i = 0; i < 40; i++)
        {
            log.Information("event {N:000} of the agent", i);
        }
    }

    private KomlogdConfig Config(LoggingOptions logging, string dir = "agent") =>
        new(Path.Combine(_home[dir], "komlogd.yaml"), "alice", null, logging, [], []);

    private static string[] LogFiles(KomlogdConfig config) =>
        [.. Directory.GetFiles(config.LogDir).Select(Path.GetFileName).Order(StringComparer.Ordinal)!];

    /// <summary>The numbers of the "event NNN" lines in a file, in file order.</summary>
    private static List<int> Events(string file) =>
        [.. File.ReadAllLines(file).Select(l => int.Parse(l[(l.IndexOf("event ", StringComparison.Ordinal) + 6)..][..3], System.Globalization.CultureInfo.InvariantCulture))];

    public void Dispose() => _home.Dispose();
}
