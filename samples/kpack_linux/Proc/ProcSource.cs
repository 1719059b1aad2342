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
        var before = await ReadCountersAsync(cancellationToken).ConfigureAwait(false);
        var watch = Stopwatch.StartNew();
        await Task.Delay(interval, cancellationToken).ConfigureAwait(false);
        var after = await ReadCountersAsync(cancellationToken).ConfigureAwait(false);
        var seconds = watch.Elapsed.TotalSeconds;

        var meminfo = await ReadAsync("proc/meminfo", cancellationToken).ConfigureAwait(false);
        var loadavg = await ReadAsync("proc/loadavg", cancellationToken).ConfigureAwait(false);
        var mounts = await ReadAsync("proc/mounts", cancellationToken).ConfigureAwait(false);
        var filesystems = Mounts.Devices(mounts)
            .Select(m => StatVfs.Query(m.Device, m.MountPoint))
            .OfType<FilesystemUsage>()
            .ToList();
        var release = (await ReadAsync("proc/sys/kernel/osrelease", cancellationToken).ConfigureAwait(false)).Trim();
        var header = string.Create(CultureInfo.InvariantCulture,
            $"Linux {release} ({hostName}) \t{DateTime.Now:MM/dd/yy} \t_{Architecture()}_\t({after.CpuCount} CPU)");

        return ProcReportBuilder.Build(before, after, seconds, meminfo, loadavg, filesystems, IsWholeDisk, Speed, header);
    }

    private async Task<ProcCounters> ReadCountersAsync(CancellationToken cancellationToken) => ProcCounters.Parse(
        await ReadAsync("proc/stat", cancellationToken).ConfigureAwait(false),
        await ReadAsync("proc/vmstat", cancellationToken).ConfigureAwait(false),
        await ReadAsync("proc/diskstats", cancellationToken).ConfigureAwait(false),
        await ReadAsync("proc/net/dev", cancellationToken).ConfigureAwait(false));

    private async Task<string> ReadAsync(string relative, CancellationToken cancellationToken)
    {
        try
        {
            return await File.ReadAllTextAsync(Path.Combine(root, relative), cancellationToken).ConfigureAwait(false);
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
