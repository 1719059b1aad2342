using Komlogd.PluginHost;

namespace Komlogd.Core.Supervision;

/// <summary>
/// One child process as the supervisor sees it. <see cref="PluginHostChild"/> is the real one; the state
/// machine's unit tests use a small in-memory one so backoff and Fatal are tested without sleeping.
/// </summary>
public interface IChild : IAsyncDisposable
{
    int Pid { get; }

    /// <summary>Completes with the exit code when the process has exited (not when its stdout closes).</summary>
    Task<int> Exited { get; }

    Task<InitializeResult> InitializeAsync(CancellationToken cancellationToken);

    Task PingAsync(CancellationToken cancellationToken);

    /// <summary>Asks the child to unload and exit, then closes its channel.</summary>
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
