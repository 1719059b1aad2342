using System.Runtime.InteropServices;

namespace Komlogd.PluginHost;

/// <summary>
/// The host leads a process group of its own, and every process a package starts joins it. Two reasons
/// (docs/protocol.md, "Signals"): Ctrl-C in the agent's terminal reaches the terminal's foreground group
/// only, so the agent alone hears it and stops its children in order instead of every host dying of SIGINT
/// at once; and the group names what a package left behind, so the host ends it when it exits (even when
/// the agent was SIGKILLed and the host only saw its stdin close) and the agent ends it when a host died
/// without doing so (NoOrphanTests, SignalTests).
/// </summary>
internal static partial class ProcessGroup
{
    private const int SIGKILL = 9;

    /// <summary>Makes this process the leader of a new process group; false when it cannot (it stays in the agent's).</summary>
    public static bool Lead() => SetPgid(0, 0) == 0;

    /// <summary>
    /// SIGKILLs every other member of this host's group: what packages started and left running. Does
    /// nothing unless this host leads its group (otherwise the group is the agent's). A member may fork
    /// while it is being killed, so the group is looked at again until it is empty (a few rounds at most).
    /// </summary>
    /// <returns>How many processes were killed.</returns>
    public static int KillOthers()
    {
        var self = Environment.ProcessId;
        if (GetPgrp() != self)
        {
            return 0;
        }
        var killed = 0;
        for (var round = 0; round < 10; round++)
        {
            var others = ProcStat.All().Where(p => p.Pgrp == self && p.Pid != self).Select(p => p.Pid).ToList();
            if (others.Count == 0)
            {
                break;
            }
            killed += others.Count(pid => Kill(pid, SIGKILL) == 0);
        }
        return killed;
    }

    [LibraryImport("libc", EntryPoint = "setpgid", SetLastError = true)]
    private static partial int SetPgid(int pid, int pgid);

    [LibraryImport("libc", EntryPoint = "getpgrp")]
    private static partial int GetPgrp();

    [LibraryImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static partial int Kill(int pid, int signal);
}
