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

    private readonly ProcFile _files = new();
    private readonly string _stat = Path.Combine(root, "proc/stat");
    private readonly string _vmstat = Path.Combine(root, "proc/vmstat");
    private readonly string _diskstats = Path.Combine(root, "proc/diskstats");
    private readonly string _netDev = Path.Combine(root, "proc/net/dev");
    private readonly string _meminfo = Path.Combine(root, "proc/meminfo");
    private readonly string _loadavg = Path.Combine(root, "proc/loadavg");
    private readonly string _mounts = Path.Combine(root, "proc/mounts");
    private readonly string _osrelease = Path.Combine(root, "proc/sys/kernel/osrelease");
    private readonly string _block = Path.Combine(root, "sys/block");
    private readonly string _net = Path.Combine(root, "sys/class/net");
    // What changes seldom is kept from one collection to the next: the mounted devices (while /proc/mounts
    // reads the same), whether a disk name is a whole disk, each interface's speed file's path. Names come and
    // go (a container's veth at every start): past KeptNames the kept answers are dropped and made again.
    private const int KeptNames = 256;
    private readonly Dictionary<string, bool> _wholeDisks = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string> _speedFiles = new(StringComparer.Ordinal);
    private (string Text, IReadOnlyList<(string Device, string MountPoint)> Devices) _devices = ("", []);

    /// <summary>Takes the two snapshots and builds the report.</summary>
    public async Task<ResourceReport> CollectAsync(string hostName, CancellationToken cancellationToken)
    {
        var before = ReadCounters();
        var watch = Stopwatch.StartNew();
        await Task.Delay(interval, cancellationToken).ConfigureAwait(false);
        var after = ReadCounters();
        var seconds = watch.Elapsed.TotalSeconds;

        var meminfo = Read(_meminfo);
        var loadavg = Read(_loadavg);
        var filesystems = new List<FilesystemUsage>();
        foreach (var (device, mountPoint) in Devices(Read(_mounts)))
        {
            if (StatVfs.Query(device, mountPoint) is { } usage)
            {
                filesystems.Add(usage);
            }
        }
        var release = Read(_osrelease).Trim();
        var header = string.Create(CultureInfo.InvariantCulture,
            $"Linux {release} ({hostName}) \t{DateTime.Now:MM/dd/yy} \t_{Architecture()}_\t({after.CpuCount} CPU)");

        return ProcReportBuilder.Build(before, after, seconds, meminfo, loadavg, filesystems, IsWholeDisk, Speed, header);
    }

    private ProcCounters ReadCounters() =>
        ProcCounters.Parse(Read(_stat), Read(_vmstat), Read(_diskstats), Read(_netDev));

    /// <summary>
    /// Synchronous on purpose: /proc and /sys are the kernel's memory, never a disk. An asynchronous read is a
    /// thread-pool hop per file, and a collection once a minute finds the pool's idle workers retired (after
    /// 20 s), so each hop started a thread that set up its own array-pool buffers: 40 % of the host's CPU
    /// (perf; docs/benchmarks.md, "The host's own channel").
    /// </summary>
    private string Read(string path) =>
        _files.ReadText(path) ?? ""; // a section without its file is left out of the report

    private IReadOnlyList<(string Device, string MountPoint)> Devices(string procMounts)
    {
        if (procMounts != _devices.Text)
        {
            _devices = (procMounts, Mounts.Devices(procMounts));
        }
        return _devices.Devices;
    }

    // sar -d shows whole disks: those with a /sys/block entry (a '/' in the name is '!' there).
    private bool IsWholeDisk(string name)
    {
        if (!_wholeDisks.TryGetValue(name, out var whole))
        {
            whole = !Directory.Exists(_block) || Directory.Exists(Path.Combine(_block, name.Replace('/', '!')));
            Keep(_wholeDisks, name, whole);
        }
        return whole;
    }

    // The link speed in Mb/s; null for no link, a virtual device, or when the kernel refuses (EINVAL when down).
    private long? Speed(string name)
    {
        if (!_speedFiles.TryGetValue(name, out var file))
        {
            file = Path.Combine(_net, name, "speed");
            Keep(_speedFiles, name, file);
        }
        var text = _files.ReadText(file);
        return long.TryParse(text.AsSpan().Trim(), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var v) && v > 0 ? v : null;
    }

    private static void Keep<T>(Dictionary<string, T> kept, string name, T value)
    {
        if (kept.Count >= KeptNames)
        {
            kept.Clear();
        }
        kept[name] = value;
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
