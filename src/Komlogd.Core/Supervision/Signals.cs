using System.Runtime.InteropServices;

namespace Komlogd.Core.Supervision;

/// <summary><c>kill(2)</c>: to a process, to a process group (a negative pid), or to a process and all its descendants.</summary>
internal static partial class Signals
{
    public const int SIGKILL = 9;
    public const int SIGTERM = 15;

    /// <returns>0, or -1 with errno set (ESRCH: no such process).</returns>
    [LibraryImport("libc", EntryPoint = "kill", SetLastError = true)]
    public static partial int Send(int pid, int signal);

    /// <summary>
    /// SIGKILL to <paramref name="pid"/> and every process descended from it, found as the kernel lists each
    /// thread's children (<c>/proc/PID/task/TID/children</c>), as <c>Process.Kill(entireProcessTree: true)</c>
    /// finds them: what left the host's process group (a daemon that called <c>setsid</c>) still goes. All are
    /// found before any is killed, so none is reparented to init first.
    /// </summary>
    public static void KillTree(int pid)
    {
        var tree = new List<int> { pid };
        for (var i = 0; i < tree.Count; i++)
        {
            tree.AddRange(Children(tree[i]).Where(c => !tree.Contains(c)));
        }
        foreach (var p in tree)
        {
            _ = Send(p, SIGKILL);
        }
    }

    private static IEnumerable<int> Children(int pid)
    {
        string[] threads;
        try
        {
            threads = Directory.GetDirectories($"/proc/{pid}/task");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return [];
        }
        var children = new List<int>();
        foreach (var thread in threads)
        {
            try
            {
                foreach (var child in File.ReadAllText(Path.Combine(thread, "children")).Split(' ', StringSplitOptions.RemoveEmptyEntries))
                {
                    children.Add(int.Parse(child, System.Globalization.CultureInfo.InvariantCulture));
                }
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                // The thread ended meanwhile.
            }
        }
        return children;
    }

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
