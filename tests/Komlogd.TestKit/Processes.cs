using System.Diagnostics;
using System.Runtime.InteropServices;

namespace Komlogd.TestKit;

/// <summary>Looking at processes through /proc, and signalling them.</summary>
public static partial class Processes
{
    /// <summary>The process runs and is not a zombie waiting to be reaped.</summary>
    public static bool IsAlive(int pid)
    {
        try
        {
            using var p = Process.GetProcessById(pid);
            return !p.HasExited && !File.ReadAllText($"/proc/{pid}/stat").Contains(") Z ", StringComparison.Ordinal);
        }
        catch (Exception e) when (e is ArgumentException or InvalidOperationException or IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }

    /// <summary>The process is alive and its command line contains <paramref name="text"/> (a pid reused by another program is not it).</summary>
    public static bool IsAlive(int pid, string text)
    {
        try
        {
            return IsAlive(pid) && File.ReadAllText($"/proc/{pid}/cmdline").Contains(text, StringComparison.Ordinal);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }

    /// <summary>The command line as /proc has it (arguments NUL-separated), or "" when the process is gone.</summary>
    public static string CommandLine(int pid)
    {
        try
        {
            return File.ReadAllText($"/proc/{pid}/cmdline");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return "";
        }
    }

    /// <summary>Every living process below <paramref name="pid"/> (children, their children, …), by parent pid.</summary>
    public static IReadOnlyList<int> Descendants(int pid)
    {
        var parents = Stats().ToDictionary(s => s.Pid, s => s.Ppid);
        var found = new List<int>();
        var frontier = new Queue<int>([pid]);
        while (frontier.TryDequeue(out var parent))
        {
            foreach (var (child, _) in parents.Where(p => p.Value == parent))
            {
                found.Add(child);
                frontier.Enqueue(child);
            }
        }
        return found;
    }

    /// <summary>The living processes whose process group is <paramref name="pgid"/>.</summary>
    public static IReadOnlyList<int> GroupMembers(int pgid) => [.. Stats().Where(s => s.Pgrp == pgid).Select(s => s.Pid)];

    /// <summary>The process group of a living process, or null.</summary>
    public static int? GroupOf(int pid) => Stats().Where(s => s.Pid == pid).Select(s => (int?)s.Pgrp).FirstOrDefault();

    /// <summary>kill(2); false when the process is gone.</summary>
    public static bool Signal(int pid, int signal) => Kill(pid, signal) == 0;

    private static IEnumerable<(int Pid, int Ppid, int Pgrp)> Stats() => Komlogd.PluginHost.ProcStat.All();

    [LibraryImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static partial int Kill(int pid, int signal);
}
