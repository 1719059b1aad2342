using System.Globalization;

namespace Komlogd.PluginHost;

/// <summary>
/// The living processes as /proc/*/stat lists them: pid, parent, process group. One reader for the host's
/// group cleanup (ProcessGroup) and the tests that look for what is left (Komlogd.TestKit links this file).
/// </summary>
internal static class ProcStat
{
    /// <summary>Every process that is not a zombie: killing or counting one that already died means nothing.</summary>
    public static IEnumerable<(int Pid, int Ppid, int Pgrp)> All()
    {
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(dir), NumberStyles.None, CultureInfo.InvariantCulture, out var pid))
            {
                continue;
            }
            string stat;
            try
            {
                stat = File.ReadAllText(Path.Combine(dir, "stat"));
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                continue; // gone meanwhile
            }
            // "pid (comm) state ppid pgrp …": comm may hold spaces and parentheses, so split after the last ')'.
            var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
            if (fields.Length > 2 && fields[0] != "Z"
                && int.TryParse(fields[1], NumberStyles.None, CultureInfo.InvariantCulture, out var ppid)
                && int.TryParse(fields[2], NumberStyles.None, CultureInfo.InvariantCulture, out var pgrp))
            {
                yield return (pid, ppid, pgrp);
            }
        }
    }
}
