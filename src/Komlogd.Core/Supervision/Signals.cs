using System.Runtime.InteropServices;

namespace Komlogd.Core.Supervision;

/// <summary><c>kill(2)</c>: what <see cref="System.Diagnostics.Process.Kill()"/> cannot send (SIGTERM), or to a process group (a negative pid).</summary>
internal static partial class Signals
{
    public const int SIGKILL = 9;
    public const int SIGTERM = 15;

    /// <returns>0, or -1 with errno set (ESRCH: no such process).</returns>
    [LibraryImport("libc", EntryPoint = "kill", SetLastError = true)]
    public static partial int Send(int pid, int signal);

    /// <summary>Makes this process the leader of a new process group (whose id is its pid); false when it cannot.</summary>
    public static bool LeadGroup() => SetPgid(0, 0) == 0;

    [LibraryImport("libc", EntryPoint = "setpgid", SetLastError = true)]
    private static partial int SetPgid(int pid, int pgid);
}

/// <summary>
/// A token that the given signals cancel (instead of their default, ending the process at once), linked to
/// another: the agent's stop (SIGINT, SIGTERM, SIGQUIT) and its installer child's (SIGINT, SIGTERM).
/// </summary>
internal sealed class SignalStop : IDisposable
{
    private readonly CancellationTokenSource _stop;
    private readonly PosixSignalRegistration[] _registrations;

    public SignalStop(CancellationToken ct, params PosixSignal[] signals)
    {
        _stop = CancellationTokenSource.CreateLinkedTokenSource(ct);
        _registrations = [.. signals.Select(s => PosixSignalRegistration.Create(s, OnSignal))];
    }

    public CancellationToken Token => _stop.Token;

    public bool IsCancellationRequested => _stop.IsCancellationRequested;

    public void Dispose()
    {
        foreach (var registration in _registrations)
        {
            registration.Dispose();
        }
        _stop.Dispose();
    }

    private void OnSignal(PosixSignalContext context)
    {
        context.Cancel = true;
        _stop.Cancel();
    }
}
