using Komlogd.Core.Supervision;

namespace Komlogd.Supervision.Tests;

/// <summary>The state machine under a fake clock: no sleeping, every transition asserted.</summary>
public sealed class VenvSupervisorTests : IAsyncDisposable
{
    private static readonly SupervisionOptions Options = new()
    {
        StartTimeout = TimeSpan.FromSeconds(30),
        PingInterval = TimeSpan.FromSeconds(5),
        PingTimeout = TimeSpan.FromSeconds(10),
        StopTimeout = TimeSpan.FromSeconds(10),
        QuickFailureWindow = TimeSpan.FromSeconds(10),
        MaxQuickFailures = 3,
        Backoff = new Backoff { Jitter = 0 },
    };

    private readonly WatchedClock _time = new(DateTimeOffset.Parse("2026-01-01T00:00:00Z", System.Globalization.CultureInfo.InvariantCulture));
    private readonly MemoryLog _log = new();
    private readonly List<VenvState> _states = [];
    private VenvSupervisor? _supervisor;

    private VenvSupervisor Create(FakeLauncher launcher)
    {
        _supervisor = new VenvSupervisor("v", "/venv/publish/Komlogd.Venv.dll", launcher, Options, _time, _log.Logger);
        _supervisor.StatusChanged += s =>
        {
            lock (_states)
            {
                if (_states.Count == 0 || _states[^1] != s.State)
                {
                    _states.Add(s.State);
                }
            }
        };
        return _supervisor;
    }

    /// <summary>Advances the fake clock in small steps until the condition holds (the loop registers its timers on its own thread).</summary>
    private Task AdvanceUntil(Func<bool> condition, string what, TimeSpan? step = null) =>
        Eventually.WaitAsync(() =>
        {
            if (condition())
            {
                return true;
            }
            _time.Advance(step ?? TimeSpan.FromMilliseconds(50));
            return false;
        }, what, TimeSpan.FromSeconds(30));

    private static Task WaitFor(VenvSupervisor s, VenvState state) =>
        Eventually.WaitAsync(() => s.Status.State == state, $"state {state} (now {s.Status.State})", TimeSpan.FromSeconds(30));

    [Fact]
    public async Task AHealthyChildRunsAndIsPinged()
    {
        var launcher = new FakeLauncher(FakeChild.Script.Healthy);
        var s = Create(launcher);

        await s.StartAsync();
        await WaitFor(s, VenvState.Running);
        await AdvanceUntil(() => launcher.Last.Pings >= 3, "three pings");

        Assert.Equal(1000, s.Status.Pid);
        Assert.Equal("P", Assert.Single(s.Status.Packages).Name);
        Assert.Equal([VenvState.Starting, VenvState.Running], _states);
    }

    [Fact]
    public async Task RestartsARunningChildAtOnceThenBacksOffAndGoesFatalAfterQuickFailures()
    {
        var launcher = new FakeLauncher(FakeChild.Script.Healthy);
        var s = Create(launcher);
        await s.StartAsync();
        await WaitFor(s, VenvState.Running);

        // The first failure of a Running child: restarted without advancing the clock at all.
        launcher.Last.Exit(1);
        await Eventually.WaitAsync(() => launcher.Children.Count == 2 && s.Status.State == VenvState.Running, "restarted at once", TimeSpan.FromSeconds(30));
        Assert.Equal(1, s.Status.QuickFailures);
        Assert.Equal([VenvState.Starting, VenvState.Running, VenvState.Backoff, VenvState.Starting, VenvState.Running], _states);

        // The second quick failure in a row backs off 200 ms: not a moment less.
        launcher.Last.Exit(1);
        await WaitFor(s, VenvState.Backoff);
        Assert.Equal(2, s.Status.QuickFailures);
        await _time.WaitForTimerAsync(_time.GetUtcNow() + Options.Backoff.Delay(2), "the backoff");
        _time.Advance(Options.Backoff.Delay(2) - TimeSpan.FromMilliseconds(1));
        Assert.Equal(VenvState.Backoff, s.Status.State);
        Assert.Equal(2, launcher.Children.Count);
        _time.Advance(TimeSpan.FromMilliseconds(1));
        await Eventually.WaitAsync(() => s.Status.State != VenvState.Backoff, "the backoff to end", TimeSpan.FromSeconds(30));

        await WaitFor(s, VenvState.Running);
        launcher.Last.Exit(1);

        await WaitFor(s, VenvState.Fatal);
        Assert.Equal(3, s.Status.QuickFailures);
        Assert.Equal(2, s.Status.Restarts);
        Assert.Equal("exited with code 1", s.Status.LastError);
        Assert.Null(s.Status.Pid);
        Assert.Equal(3, launcher.Children.Count);
        // Fatal stays Fatal: nothing waits on the clock to start it again.
        Assert.Empty(_time.Waiting);
        _time.Advance(TimeSpan.FromHours(1));
        Assert.Equal(VenvState.Fatal, s.Status.State);
        Assert.Equal(3, launcher.Children.Count);
        Assert.True(_log.Contains("Gave up after 3 quick failures in a row"));
    }

    [Fact]
    public async Task AChildThatFailsToLoadBacksOffFromTheFirstFailure()
    {
        var launcher = new FakeLauncher(FakeChild.Script.FailsLoad, FakeChild.Script.Healthy);
        var s = Create(launcher);
        await s.StartAsync();
        await WaitFor(s, VenvState.Backoff);

        await _time.WaitForTimerAsync(_time.GetUtcNow() + Options.Backoff.Delay(1), "the backoff");
        _time.Advance(Options.Backoff.Delay(1) - TimeSpan.FromMilliseconds(1));
        Assert.Equal(VenvState.Backoff, s.Status.State);
        Assert.Single(launcher.Children);

        _time.Advance(TimeSpan.FromMilliseconds(1));
        await WaitFor(s, VenvState.Running);
        Assert.Equal(2, launcher.Children.Count);
    }

    [Fact]
    public async Task AChildThatRanLongEnoughResetsTheQuickFailureCount()
    {
        var launcher = new FakeLauncher(FakeChild.Script.Healthy);
        var s = Create(launcher);
        await s.StartAsync();
        await WaitFor(s, VenvState.Running);
        launcher.Last.Exit(1);
        await Eventually.WaitAsync(() => launcher.Children.Count == 2 && s.Status.State == VenvState.Running, "running again", TimeSpan.FromSeconds(30));
        Assert.Equal(1, s.Status.QuickFailures);

        await AdvanceUntil(() => launcher.Last.Pings >= 3, "15 s of running", TimeSpan.FromSeconds(1));
        launcher.Last.Exit(1);

        await Eventually.WaitAsync(() => launcher.Children.Count == 3 && s.Status.State == VenvState.Running, "running again", TimeSpan.FromSeconds(30));
        Assert.Equal(0, s.Status.QuickFailures);
    }

    [Fact]
    public async Task APackageThatFailsToLoadFailsTheStartWithItsMessage()
    {
        var launcher = new FakeLauncher(FakeChild.Script.FailsLoad);
        var s = Create(launcher);
        await s.StartAsync();

        await AdvanceUntil(() => s.Status.State == VenvState.Fatal, "Fatal");

        Assert.Equal("P: InvalidOperationException: boom", s.Status.LastError);
        Assert.All(launcher.Children, c => Assert.True(c.Killed));
        Assert.DoesNotContain(VenvState.Running, _states);
    }

    [Fact]
    public async Task APermanentLoadErrorGoesFatalAtOnceWithItsReason()
    {
        var launcher = new FakeLauncher(FakeChild.Script.FailsLoadPermanently, FakeChild.Script.Healthy);
        var s = Create(launcher);
        await s.StartAsync();

        await WaitFor(s, VenvState.Fatal);

        Assert.Single(launcher.Children);
        Assert.Equal("P: declares no entry point", s.Status.LastError);
        Assert.Equal([VenvState.Starting, VenvState.Fatal], _states);
        Assert.Empty(_time.Waiting);
        Assert.True(_log.Contains("Gave up at once: P: declares no entry point"));
    }

    [Fact]
    public async Task AChannelLostWhileLoadingIsReportedByTheChildsExitCode()
    {
        var launcher = new FakeLauncher(FakeChild.Script.LosesChannelInLoad, FakeChild.Script.Healthy);
        var s = Create(launcher);
        await s.StartAsync();

        await WaitFor(s, VenvState.Backoff);

        Assert.Equal("exited with code 139 while loading its packages", s.Status.LastError);
        await AdvanceUntil(() => s.Status.State == VenvState.Running, "the second child running");
    }

    [Fact]
    public async Task AChildThatRefusesInitializeBacksOffWithWhatItSaid()
    {
        var launcher = new FakeLauncher(FakeChild.Script.RefusesInitialize, FakeChild.Script.Healthy);
        var s = Create(launcher);
        await s.StartAsync();

        await WaitFor(s, VenvState.Backoff);

        Assert.Equal("protocol version 3 is not this host's 4", s.Status.LastError);
        Assert.True(launcher.Children[0].Killed);
        await AdvanceUntil(() => s.Status.State == VenvState.Running, "the second child running");
    }

    [Fact]
    public async Task AChildHangingInLoadIsKilledAfterTheStartTimeout()
    {
        var launcher = new FakeLauncher(FakeChild.Script.HangsInLoad, FakeChild.Script.Healthy);
        var s = Create(launcher);
        await s.StartAsync();
        await WaitFor(s, VenvState.Starting);

        await AdvanceUntil(() => s.Status.State == VenvState.Backoff, "Backoff", TimeSpan.FromSeconds(1));

        Assert.True(launcher.Children[0].Killed);
        Assert.Equal("did not load its packages within 30 s; killed", s.Status.LastError);
        await AdvanceUntil(() => s.Status.State == VenvState.Running, "the second child running");
    }

    [Fact]
    public async Task AChildThatStopsAnsweringPingsIsKilledAndRestarted()
    {
        var launcher = new FakeLauncher(FakeChild.Script.StopsAnsweringPings, FakeChild.Script.Healthy);
        var s = Create(launcher);
        await s.StartAsync();
        await WaitFor(s, VenvState.Running);

        // Noticed after the 10 s ping timeout, killed, and (it was Running) restarted at once.
        await AdvanceUntil(() => s.Status.State == VenvState.Running && s.Status.Pid == 1001, "the second child running", TimeSpan.FromSeconds(1));

        Assert.True(launcher.Children[0].Killed);
        Assert.Equal("did not answer a health ping within 10 s; killed", s.Status.LastError);
        Assert.Equal(1, s.Status.Restarts);
        Assert.Equal([VenvState.Starting, VenvState.Running, VenvState.Backoff, VenvState.Starting, VenvState.Running], _states);
    }

    [Fact]
    public async Task StopAsksTheChildToShutDownAndEndsStopped()
    {
        var launcher = new FakeLauncher(FakeChild.Script.Healthy);
        var s = Create(launcher);
        await s.StartAsync();
        await WaitFor(s, VenvState.Running);

        await s.StopAsync();

        Assert.Equal(VenvState.Stopped, s.Status.State);
        Assert.True(launcher.Last.ShutdownRequested);
        Assert.False(launcher.Last.Killed);
        Assert.Equal([VenvState.Starting, VenvState.Running, VenvState.Stopping, VenvState.Stopped], _states);
    }

    [Fact]
    public async Task StartingAFatalVenvStartsAfresh()
    {
        var launcher = new FakeLauncher(FakeChild.Script.FailsLoad, FakeChild.Script.FailsLoad, FakeChild.Script.FailsLoad, FakeChild.Script.Healthy);
        var s = Create(launcher);
        await s.StartAsync();
        await AdvanceUntil(() => s.Status.State == VenvState.Fatal, "Fatal");

        await s.StartAsync();

        await WaitFor(s, VenvState.Running);
        Assert.Equal(0, s.Status.QuickFailures);
        Assert.Equal(4, launcher.Children.Count);
    }

    [Fact]
    public async Task StopDuringBackoffEndsStoppedWithoutAnotherStart()
    {
        var launcher = new FakeLauncher(FakeChild.Script.FailsLoad);
        var s = Create(launcher);
        await s.StartAsync();
        await WaitFor(s, VenvState.Backoff);

        await s.StopAsync();

        Assert.Equal(VenvState.Stopped, s.Status.State);
        Assert.Single(launcher.Children);
    }

    public async ValueTask DisposeAsync()
    {
        if (_supervisor is not null)
        {
            await _supervisor.DisposeAsync();
        }
    }
}
