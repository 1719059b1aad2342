using Komlogd.Core.Cli;
using Komlogd.Core.Supervision;
using Microsoft.Extensions.Time.Testing;

namespace Komlogd.Core.Tests;

/// <summary>The agent's lines on stdout: a spinner in place on a terminal, plain final lines elsewhere.</summary>
public sealed class TerminalReportTests
{
    private const string Erase = "\r\u001b[K";
    private static readonly DateTimeOffset T0 = new(2026, 1, 2, 3, 4, 5, TimeSpan.Zero);

    [Fact]
    public void OnATerminalAnInstallSpinsWithItsElapsedSecondsUntilItsOutcomeReplacesIt()
    {
        var clock = new FakeTimeProvider(T0);
        var output = new StringWriter();
        using var report = new TerminalReport(output, terminal: true, clock);

        report.Report("venv a: installing 1 package(s)...");
        Assert.Equal($"{Erase}⠋ venv a: installing 1 package(s)... 0 s", output.ToString());

        clock.Advance(TimeSpan.FromMilliseconds(125));
        // Redrawn in place (erase, frame, line) with a turning frame and the seconds so far.
        Assert.EndsWith($"{Erase}⠙ venv a: installing 1 package(s)... 0 s", output.ToString(), StringComparison.Ordinal);
        clock.Advance(TimeSpan.FromSeconds(2));
        Assert.EndsWith(" venv a: installing 1 package(s)... 2 s", output.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain('\n', output.ToString());

        report.Report("venv a: installed in 2.0 s (P 1.0)");
        Assert.EndsWith($"{Erase}venv a: installed in 2.0 s (P 1.0){Environment.NewLine}", output.ToString(), StringComparison.Ordinal);
        var done = output.ToString().Length;
        clock.Advance(TimeSpan.FromSeconds(2));
        Assert.Equal(done, output.ToString().Length);
    }

    [Fact]
    public void RedirectedEveryLineIsPlainAndFinal()
    {
        var output = new StringWriter();
        using var report = new TerminalReport(output, terminal: false, new FakeTimeProvider(T0));

        report.Report("venv a: installing 1 package(s)...");
        report.Report("venv a: installed in 2.0 s (P 1.0)");
        report.VenvChanged(Status("a", VenvState.Starting));
        report.VenvChanged(Status("a", VenvState.Starting) with { Pid = 42 });
        report.VenvChanged(Status("a", VenvState.Running) with { Pid = 42, Packages = [new PackageLoad("P", "1.0", null)] });
        report.VenvChanged(Status("a", VenvState.Backoff) with { LastError = "exited with code 1" });

        Assert.Equal(
            ["venv a: installing 1 package(s)...", "venv a: installed in 2.0 s (P 1.0)", "venv a: Starting", "venv a: Running, pid 42 (P 1.0)", "venv a: Backoff: exited with code 1"],
            output.ToString().Split(Environment.NewLine, StringSplitOptions.RemoveEmptyEntries));
    }

    private static VenvStatus Status(string venv, VenvState state) => new(venv, state, null, 0, 0, T0, null, []);
}
