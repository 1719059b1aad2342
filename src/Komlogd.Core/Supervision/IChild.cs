namespace Komlogd.Core.Supervision;

/// <summary>
/// One child process as the supervisor sees it. <see cref="PluginHostChild"/> is the real one; the state
/// machine's unit tests use a small in-memory one so backoff and Fatal are tested without sleeping. Calls
/// fail only with <see cref="ChildLostException"/> (the channel is gone) or <see cref="ChildRefusedException"/>
/// (the child answered with an error), whatever carries the channel.
/// </summary>
public interface IChild : IAsyncDisposable
{
    int Pid { get; }

    /// <summary>Completes with the exit code when the process has exited (not when its stdout closes).</summary>
    Task<int> Exited { get; }

    /// <summary>Asks the child to load its venv's packages.</summary>
    /// <exception cref="ChildLostException">The channel is gone.</exception>
    /// <exception cref="ChildRefusedException">The child refused the request.</exception>
    Task<ChildLoad> InitializeAsync(CancellationToken cancellationToken);

    /// <exception cref="ChildLostException">The channel is gone.</exception>
    Task PingAsync(CancellationToken cancellationToken);

    /// <summary>Its transfer-method runs so far, asked after every update already committed for it.</summary>
    /// <exception cref="ChildLostException">The channel is gone.</exception>
    /// <exception cref="ChildRefusedException">The child refused the request.</exception>
    Task<ChildRuns> RunsAsync(CancellationToken cancellationToken);

    /// <summary>Asks the child to unload and exit, then closes its channel.</summary>
    /// <exception cref="ChildLostException">The channel is gone.</exception>
    Task ShutdownAsync(CancellationToken cancellationToken);

    /// <summary>SIGTERM.</summary>
    void Terminate();

    /// <summary>SIGKILL; does nothing once the child has exited. Idempotent.</summary>
    void Kill();
}

/// <summary>Starts children.</summary>
public interface IChildLauncher
{
    /// <exception cref="KomlogdException">The child could not be started.</exception>
    IChild Launch(string venv, string entryAssembly);
}
