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
}
