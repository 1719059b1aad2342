using Komlogd.Core.Supervision;

namespace Komlogd.Supervision.Tests;

/// <summary>
/// An in-memory child for the state machine's unit tests: each one does what its script says, and records
/// what the supervisor asked of it. Not a mock: a small real implementation of IChild.
/// </summary>
internal sealed class FakeChild(int pid, FakeChild.Script script) : IChild
{
    public enum Script
    {
        /// <summary>Loads, answers pings, obeys shutdown.</summary>
        Healthy,

        /// <summary>Answers initialize with a package error.</summary>
        FailsLoad,

        /// <summary>Never answers initialize.</summary>
        HangsInLoad,

        /// <summary>Loads, then stops answering pings.</summary>
        StopsAnsweringPings,

        /// <summary>Answers initialize with a permanent package error (no entry point, say).</summary>
        FailsLoadPermanently,

        /// <summary>Its channel is lost during initialize, and it exits a moment later with code 139.</summary>
        LosesChannelInLoad,

        /// <summary>Refuses initialize (as a host of another protocol version would).</summary>
        RefusesInitialize,
    }

    private readonly TaskCompletionSource<int> _exited = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public int Pid { get; } = pid;
    public Task<int> Exited => _exited.Task;
    public bool ShutdownRequested { get; private set; }
    public bool Killed { get; private set; }
    public int Pings { get; private set; }

    public void Exit(int code) => _exited.TrySetResult(code);

    public Task<ChildLoad> InitializeAsync(CancellationToken cancellationToken) => script switch
    {
        Script.FailsLoad => Task.FromResult(new ChildLoad(Pid, [new PackageLoad("P", "1.0", "InvalidOperationException: boom")])),
        Script.FailsLoadPermanently => Task.FromResult(new ChildLoad(Pid, [new PackageLoad("P", "1.0", "declares no entry point", Permanent: true)])),
        Script.HangsInLoad => Task.Delay(Timeout.Infinite, cancellationToken).ContinueWith(_ => new ChildLoad(Pid, []), TaskScheduler.Default),
        Script.LosesChannelInLoad => LoseChannelAsync(),
        Script.RefusesInitialize => Task.FromException<ChildLoad>(new ChildRefusedException("protocol version 3 is not this host's 4")),
        _ => Task.FromResult(new ChildLoad(Pid, [new PackageLoad("P", "1.0", null)])),
    };

    private async Task<ChildLoad> LoseChannelAsync()
    {
        // As a real host that crashes: the channel ends first, the exit is seen a moment later.
        _ = Task.Run(async () =>
        {
            await Task.Yield();
            Exit(139);
        });
        await Task.Yield();
        throw new ChildLostException("The JSON-RPC connection with the remote party was lost before the request could complete.");
    }

    public Task PingAsync(CancellationToken cancellationToken)
    {
        Pings++;
        return script == Script.StopsAnsweringPings ? Task.Delay(Timeout.Infinite, cancellationToken) : Task.CompletedTask;
    }

    public Task<ChildRuns> RunsAsync(CancellationToken cancellationToken) => Task.FromResult(new ChildRuns(0, 0, 0, 0));

    public Task ShutdownAsync(CancellationToken cancellationToken)
    {
        ShutdownRequested = true;
        Exit(0);
        return Task.CompletedTask;
    }

    public void Terminate() => Exit(143);

    public void Kill()
    {
        Killed = true;
        Exit(137);
    }

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;
}

/// <summary>Launches FakeChilds from a queue of scripts (the last one repeats).</summary>
internal sealed class FakeLauncher(params FakeChild.Script[] scripts) : IChildLauncher
{
    private int _next;

    public List<FakeChild> Children { get; } = [];

    public FakeChild Last => Children[^1];

    public IChild Launch(string venv, string entryAssembly)
    {
        lock (Children)
        {
            var child = new FakeChild(1000 + _next, scripts[Math.Min(_next, scripts.Length - 1)]);
            _next++;
            Children.Add(child);
            return child;
        }
    }
}
