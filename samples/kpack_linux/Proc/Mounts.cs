namespace Kpack.Linux.Proc;

/// <summary>Which mounts sar -F shows: those of a device path (<c>/dev/...</c>), each device once.</summary>
internal static class Mounts
{
    /// <summary>(device, mount point) pairs from the text of /proc/mounts, first mount of each device.</summary>
    public static IReadOnlyList<(string Device, string MountPoint)> Devices(string procMounts)
    {
        ArgumentNullException.ThrowIfNull(procMounts);
        var result = new List<(string, string)>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var line in ProcCounters.Lines(procMounts))
        {
            var f = ProcCounters.Fields(line);
            if (f.Length >= 2 && f[0].StartsWith('/') && seen.Add(f[0]))
            {
                result.Add((f[0], Unescape(f[1])));
            }
        }
        return result;
    }

    // /proc/mounts writes space, tab, newline and backslash in octal (\040).
    private static string Unescape(string s) => s
        .Replace("\\040", " ", StringComparison.Ordinal)
        .Replace("\\011", "\t", StringComparison.Ordinal)
        .Replace("\\012", "\n", StringComparison.Ordinal)
        .Replace("\\134", "\\", StringComparison.Ordinal);
}
