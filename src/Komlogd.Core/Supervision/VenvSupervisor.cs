using Serilog;

namespace Komlogd.Core.Supervision;

/// <summary>
/// Owns one venv's child and its state: the only type that changes <see cref="VenvState"/>. One run loop
/// per start command does every transition; Start/Stop/Restart are serialised. Time comes from the
/// injected <see cref="TimeProvider"/>, so backoff and Fatal are unit-tested without sleeping
/// (VenvSupervisorTests).
/// </summary>
public sealed class VenvSupervisor : IAsyncDisposable
{
    private readonly IChildLauncher _launcher;
    private readonly SupervisionOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger _log;
    private readonly SemaphoreSlim _commands = new(1, 1);
    private readonly Lock _statusGate = new();
    private VenvStatus _status;
    private CancellationTokenSource? _run;
    private Task _loop = Task.CompletedTask;
    private int _starts; // start commands so far: the first is not a restart
    private volatile IChild? _running; // the child while it is Running, for questions about it

    public VenvSupervisor(string venv, string entryAssembly, IChildLauncher launcher, SupervisionOptions options, TimeProvider time, ILogger log)
    {
        Venv = venv;
        EntryAssembly = entryAssembly;
        _launcher = launcher;
        _options = options;
        _time = time;
        _log = log.ForContext("Venv", venv);
        _status = new VenvStatus(venv, VenvState.Stopped, null, 0, 0, time.GetUtcNow(), null, []);
    }

    public string Venv { get; }
    public string EntryAssembly { get; }

    public VenvStatus Status
    {
        get
        {
            lock (_statusGate)
            {
                return _status;
            }
        }
    }

    /// <summary>
    /// The running child's transfer-method runs (asked after the updates already committed for it); null
    /// when no child runs, or it did not answer within <paramref name="timeout"/>.
    /// </summary>
    public async Task<ChildRuns?> RunsAsync(TimeSpan timeout)
    {
        if (_running is not { } child)
        {
            return null;
        }
        try
        {
            return await child.RunsAsync(CancellationToken.None).WaitAsync(timeout, _time).ConfigureAwait(false);
        }
        catch (Exception e) when (e is ChildLostException or ChildRefusedException or TimeoutException)
        {
            return null;
        }
    }

    /// <summary>Raised after every change of <see cref="Status"/>, on the thread that made it.</summary>
    public event Action<VenvStatus>? StatusChanged;

    /// <summary>Starts the venv when it is Stopped or Fatal (a Fatal venv starts afresh); otherwise does nothing.</summary>
    public async Task StartAsync()
    {
        await _commands.WaitAsync().ConfigureAwait(false);
        try
        {
            if (Status.State is not (VenvState.Stopped or VenvState.Fatal))
            {
                return;
            }
            await _loop.ConfigureAwait(false);
            _run = new CancellationTokenSource();
            var token = _run.Token;
            // Stopped/Fatal -> Starting: start command (here, so the command's answer already says Starting)
            Transition(VenvState.Starting, s => s with { QuickFailures = 0, Pid = null, Packages = [], Restarts = _starts++ == 0 ? s.Restarts : s.Restarts + 1 });
            _loop = Task.Run(() => RunAsync(token), CancellationToken.None);
        }
        finally
        {
            _commands.Release();
        }
    }

    /// <summary>Stops the child gracefully (shutdown request, SIGTERM, SIGKILL within StopTimeout) and waits for it.</summary>
    public async Task StopAsync()
    {
        await _commands.WaitAsync().ConfigureAwait(false);
        try
        {
            if (_run is { } run)
            {
                await run.CancelAsync().ConfigureAwait(false);
                await _loop.ConfigureAwait(false);
                run.Dispose();
                _run = null;
            }
        }
        finally
        {
            _commands.Release();
        }
    }

    public async Task RestartAsync()
    {
        await StopAsync().ConfigureAwait(false);
        await StartAsync().ConfigureAwait(false);
    }

    private async Task RunAsync(CancellationToken stop)
    {
        for (var first = true; ; first = false)
        {
            var startedAt = _time.GetUtcNow();
            if (!first)
            {
                // Backoff -> Starting: backoff elapsed
                Transition(VenvState.Starting, s => s with { Pid = null, Packages = [], Restarts = s.Restarts + 1 });
            }
            IChild? child = null;
            string? failure;
            var permanent = false;
            try
            {
                child = _launcher.Launch(Venv, EntryAssembly);
                Update(s => s with { Pid = child.Pid });
                _log.Information("Started child {Pid}", child.Pid);
                var start = await StartChildAsync(child, stop).ConfigureAwait(false);
                (failure, permanent) = start is { } f ? (f.Message, f.Permanent) : (await WatchAsync(child, stop).ConfigureAwait(false), false);
            }
            catch (OperationCanceledException) when (stop.IsCancellationRequested)
            {
                failure = null;
            }
            catch (Exception e) when (e is KomlogdException or ChildLostException or ChildRefusedException)
            {
                // A dying child loses the channel a moment before its exit is seen: prefer the exit code.
                failure = child is not null && e is ChildLostException && await ExitsWithinAsync(child, TimeSpan.FromSeconds(2)).ConfigureAwait(false)
                    ? ExitedMessage(await child.Exited.ConfigureAwait(false))
                    : OneLine(e.Message);
            }
            _running = null;

            if (stop.IsCancellationRequested)
            {
                await StopChildAsync(child).ConfigureAwait(false);
                // Stopping -> Stopped: the stop command's work is done
                Transition(VenvState.Stopped, s => s with { Pid = null, Packages = [] });
                return;
            }

            var wasRunning = Status.State == VenvState.Running;
            child?.Kill();
            var exitCode = child is null ? (int?)null : await child.Exited.ConfigureAwait(false);
            if (child is not null)
            {
                await child.DisposeAsync().ConfigureAwait(false);
            }
            failure ??= $"exited with code {exitCode}";
            var ranFor = _time.GetUtcNow() - startedAt;
            var quick = ranFor < _options.QuickFailureWindow ? Status.QuickFailures + 1 : 0;
            _log.Warning("Child failed after {RanFor:0.0} s: {Failure}", ranFor.TotalSeconds, failure);
            if (permanent)
            {
                // Starting -> Fatal: a permanent load error (the installed files are wrong; a restart cannot mend them)
                Transition(VenvState.Fatal, s => s with { Pid = null, QuickFailures = quick, LastError = failure, Packages = [] });
                _log.Error("Gave up at once: {Failure}. Restarting cannot mend this: fix the package, then 'komlogd reload' or 'komlogd start {Venv}'", failure, Venv);
                return;
            }
            if (quick >= _options.MaxQuickFailures)
            {
                // Starting/Running -> Fatal: too many quick failures in a row
                Transition(VenvState.Fatal, s => s with { Pid = null, QuickFailures = quick, LastError = failure, Packages = [] });
                _log.Error("Gave up after {Failures} quick failures in a row; last: {Failure}. Start it again with 'komlogd start {Venv}'", quick, failure, Venv);
                return;
            }
            // A child that had loaded its packages and then died is restarted at once, as supervisord restarts
            // a RUNNING program: its venv is good and every second of backoff is a second of lost data. A
            // child that failed to load, or that fails again while restarts are quick, backs off.
            var delay = wasRunning && quick <= 1 ? TimeSpan.Zero : _options.Backoff.Delay(Math.Max(quick, 1));
            // Starting/Running -> Backoff: the child failed
            Transition(VenvState.Backoff, s => s with { Pid = null, QuickFailures = quick, LastError = failure, Packages = [] });
            try
            {
                await Task.Delay(delay, _time, stop).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                // Backoff -> Stopped: stop command during the wait
                Transition(VenvState.Stopped, s => s);
                return;
            }
        }
    }

    /// <summary>Why a start failed; permanent when restarting cannot help.</summary>
    private readonly record struct StartFailure(string Message, bool Permanent);

    /// <summary>Waits for <c>initialize</c>; null when every package loaded, else why not.</summary>
    private async Task<StartFailure?> StartChildAsync(IChild child, CancellationToken stop)
    {
        var init = child.InitializeAsync(stop);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(stop);
        var timer = Task.Delay(_options.StartTimeout, _time, timeout.Token);
        var first = await Task.WhenAny(init, child.Exited, timer).ConfigureAwait(false);
        await timeout.CancelAsync().ConfigureAwait(false);
        stop.ThrowIfCancellationRequested();
        if (first == child.Exited)
        {
            return new StartFailure(ExitedMessage(await child.Exited.ConfigureAwait(false)), false);
        }
        if (first == timer)
        {
            return new StartFailure($"did not load its packages within {_options.StartTimeout.TotalSeconds:0.#} s; killed", false);
        }
        var result = await init.ConfigureAwait(false);
        if (!result.Ok)
        {
            return new StartFailure(result.Errors, result.FailedPermanently);
        }
        _running = child;
        // Starting -> Running: initialize answered, every package loaded
        Transition(VenvState.Running, s => s with { Packages = result.Packages });
        _log.Information("Running: {Packages}", string.Join(", ", result.Packages.Select(p => $"{p.Name} {p.Version}")));
        return null;
    }

    /// <summary>Pings a running child until it exits or hangs; returns why it ended.</summary>
    private async Task<string> WatchAsync(IChild child, CancellationToken stop)
    {
        while (true)
        {
            using (var wait = CancellationTokenSource.CreateLinkedTokenSource(stop))
            {
                var tick = Task.Delay(_options.PingInterval, _time, wait.Token);
                if (await Task.WhenAny(child.Exited, tick).ConfigureAwait(false) == child.Exited)
                {
                    // No timer left behind for a child that is gone.
                    await wait.CancelAsync().ConfigureAwait(false);
                    return $"exited with code {await child.Exited.ConfigureAwait(false)}";
                }
            }
            stop.ThrowIfCancellationRequested();
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(stop);
            var ping = child.PingAsync(timeout.Token);
            var timer = Task.Delay(_options.PingTimeout, _time, timeout.Token);
            var first = await Task.WhenAny(ping, child.Exited, timer).ConfigureAwait(false);
            await timeout.CancelAsync().ConfigureAwait(false);
            stop.ThrowIfCancellationRequested();
            if (first == child.Exited)
            {
                return $"exited with code {await child.Exited.ConfigureAwait(false)}";
            }
            if (first == timer)
            {
                child.Kill();
                return $"did not answer a health ping within {_options.PingTimeout.TotalSeconds:0.#} s; killed";
            }
            await ping.ConfigureAwait(false);
        }
    }

    /// <summary>Shutdown request and channel close; then SIGTERM; then SIGKILL; within StopTimeout.</summary>
    private async Task StopChildAsync(IChild? child)
    {
        if (child is null)
        {
            return;
        }
        // Starting/Running/Backoff -> Stopping: stop command
        Transition(VenvState.Stopping, s => s);
        var half = _options.StopTimeout / 2;
        try
        {
            await child.ShutdownAsync(CancellationToken.None).WaitAsync(half, _time).ConfigureAwait(false);
        }
        catch (Exception e) when (e is TimeoutException or ChildLostException or ChildRefusedException)
        {
            _log.Debug("Shutdown request: {Error}", OneLine(e.Message));
        }
        if (!await ExitsWithinAsync(child, half).ConfigureAwait(false))
        {
            _log.Warning("Child {Pid} still running after the shutdown request; SIGTERM", child.Pid);
            child.Terminate();
            if (!await ExitsWithinAsync(child, half).ConfigureAwait(false))
            {
                _log.Warning("Child {Pid} still running after SIGTERM; SIGKILL", child.Pid);
                child.Kill();
            }
        }
        await child.DisposeAsync().ConfigureAwait(false);
        // A clean stop is exit 0; anything else (killed by a signal the host did not handle, a crash while
        // stopping) is said, though the venv is stopped all the same (SignalTests).
        if (!child.Exited.IsCompletedSuccessfully)
        {
            _log.Warning("Child {Pid} did not exit after SIGKILL", child.Pid);
        }
        else if (child.Exited.Result == 0)
        {
            _log.Information("Child {Pid} stopped (exit code 0)", child.Pid);
        }
        else
        {
            _log.Warning("Child {Pid} exited with code {Code} while stopping", child.Pid, child.Exited.Result);
        }
    }

    private async Task<bool> ExitsWithinAsync(IChild child, TimeSpan timeout)
    {
        try
        {
            await child.Exited.WaitAsync(timeout, _time).ConfigureAwait(false);
            return true;
        }
        catch (TimeoutException)
        {
            return false;
        }
    }

    private void Transition(VenvState state, Func<VenvStatus, VenvStatus> change)
    {
        VenvStatus status;
        lock (_statusGate)
        {
            var from = _status.State;
            _status = change(_status) with { State = state, Since = _time.GetUtcNow() };
            status = _status;
            _log.Debug("{From} -> {To}", from, state);
        }
        StatusChanged?.Invoke(status);
    }

    private void Update(Func<VenvStatus, VenvStatus> change)
    {
        VenvStatus status;
        lock (_statusGate)
        {
            _status = change(_status);
            status = _status;
        }
        StatusChanged?.Invoke(status);
    }

    private string ExitedMessage(int code) =>
        Status.State == VenvState.Starting ? $"exited with code {code} while loading its packages" : $"exited with code {code}";

    private static string OneLine(string message) => message.Split('\n', 2)[0].TrimEnd('\r');

    public async ValueTask DisposeAsync()
    {
        await StopAsync().ConfigureAwait(false);
        _commands.Dispose();
    }
}
