using System.Diagnostics;

namespace Komlogd.TestKit;

/// <summary>Looking at processes through /proc.</summary>
public static class Processes
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
}
