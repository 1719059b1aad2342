using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;
using Kpack.Linux.Reports;

namespace Kpack.Linux.Proc;

/// <summary>
/// Collects the local machine's figures from /proc, /sys and statvfs, for a machine without sar: two
/// snapshots <see cref="Interval"/> apart give the rates, as <c>sar ... 2 1</c>.
/// </summary>
/// <param name="root">The filesystem root holding proc/ and sys/ (<c>/</c>; a folder in tests).</param>
/// <param name="interval">Time between the two snapshots.</param>
internal sealed class ProcSource(string root, TimeSpan interval)
{
    /// <summary>The default interval, sar's.</summary>
    public static readonly TimeSpan DefaultInterval = TimeSpan.FromSeconds(2);

    public TimeSpan Interval => interval;

    /// <summary>Takes the two snapshots and builds the report.</summary>
    public async Task<ResourceReport> CollectAsync(string hostName, CancellationToken cancellationToken)
    {
        var before = ReadCounters();
        var watch = Stopwatch.StartNew();
        await Task.Delay(interval, cancellationToken).ConfigureAwait(false);
        var after = ReadCounters();
        var seconds = watch.Elapsed.TotalSeconds;

        var meminfo = Read("proc/meminfo");
        var loadavg = Read("proc/loadavg");
        var filesystems = Mounts.Devices(Read("proc/mounts"))
            .Select(m => StatVfs.Query(m.Device, m.MountPoint))
            .OfType<FilesystemUsage>()
            .ToList();
        var release = Read("proc/sys/kernel/osrelease").Trim();
        var header = string.Create(CultureInfo.InvariantCulture,
            $"Linux {release} ({hostName}) \t{DateTime.Now:MM/dd/yy} \t_{Architecture()}_\t({after.CpuCount} CPU)");

        return ProcReportBuilder.Build(before, after, seconds, meminfo, loadavg, filesystems, IsWholeDisk, Speed, header);
    }

    private ProcCounters ReadCounters() =>
        ProcCounters.Parse(Read("proc/stat"), Read("proc/vmstat"), Read("proc/diskstats"), Read("proc/net/dev"));

    /// <summary>
    /// Synchronous on purpose: /proc and /sys are the kernel's memory, never a disk. An asynchronous read is a
    /// thread-pool hop per file, and a collection once a minute finds the pool's idle workers retired (after
    /// 20 s), so each hop started a thread that set up its own array-pool buffers: 40 % of the host's CPU
    /// (perf; docs/benchmarks.md, "The host's own channel").
    /// </summary>
    private string Read(string relative)
    {
        try
        {
            return File.ReadAllText(Path.Combine(root, relative));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return ""; // a section without its file is left out of the report
        }
    }

    // sar -d shows whole disks: those with a /sys/block entry (a '/' in the name is '!' there).
    private bool IsWholeDisk(string name)
    {
        var block = Path.Combine(root, "sys/block");
        return !Directory.Exists(block) || Directory.Exists(Path.Combine(block, name.Replace('/', '!')));
    }

    private long? Speed(string name)
    {
        try
        {
            var text = File.ReadAllText(Path.Combine(root, "sys/class/net", name, "speed")).Trim();
            return long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var v) && v > 0 ? v : null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException)
        {
            return null; // no link, a virtual device, or the kernel refuses (EINVAL when down)
        }
    }

    private static string Architecture() => RuntimeInformation.OSArchitecture switch
    {
        System.Runtime.InteropServices.Architecture.X64 => "x86_64",
        System.Runtime.InteropServices.Architecture.Arm64 => "aarch64",
        System.Runtime.InteropServices.Architecture.X86 => "i686",
        System.Runtime.InteropServices.Architecture.Arm => "armv7l",
        var other => other.ToString().ToLowerInvariant(),
    };
}
