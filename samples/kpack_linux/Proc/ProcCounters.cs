using System.Globalization;

namespace Kpack.Linux.Proc;

/// <summary>
/// The cumulative counters of one /proc snapshot: /proc/stat, /proc/vmstat, /proc/diskstats and
/// /proc/net/dev. Two snapshots a second or two apart give the rates sar prints. Guarded by ProcTests.
/// </summary>
internal sealed record ProcCounters(
    CpuTimes Cpu,
    int CpuCount,
    long ProcsBlocked,
    IReadOnlyDictionary<string, long> Vmstat,
    IReadOnlyList<DiskCounters> Disks,
    IReadOnlyList<InterfaceCounters> Interfaces)
{
    /// <summary>Parses the four files' texts; missing or odd lines are skipped, never thrown on.</summary>
    public static ProcCounters Parse(string stat, string vmstat, string diskstats, string netDev)
    {
        var cpu = new CpuTimes(0, 0, 0, 0, 0, 0, 0, 0, 0, 0);
        var cpuCount = 0;
        long blocked = 0;
        foreach (var line in Lines(stat))
        {
            var f = Fields(line);
            if (f.Length == 0)
            {
                continue;
            }
            if (f[0] == "cpu")
            {
                var v = f.Skip(1).Select(Long).Concat(Enumerable.Repeat(0L, 10)).Take(10).ToArray();
                cpu = new CpuTimes(v[0], v[1], v[2], v[3], v[4], v[5], v[6], v[7], v[8], v[9]);
            }
            else if (f[0].StartsWith("cpu", StringComparison.Ordinal) && f[0].Length > 3 && char.IsAsciiDigit(f[0][3]))
            {
                cpuCount++;
            }
            else if (f[0] == "procs_blocked" && f.Length > 1)
            {
                blocked = Long(f[1]);
            }
        }

        var vm = new Dictionary<string, long>(StringComparer.Ordinal);
        foreach (var line in Lines(vmstat))
        {
            var f = Fields(line);
            if (f.Length == 2)
            {
                vm[f[0]] = Long(f[1]);
            }
        }

        var disks = new List<DiskCounters>();
        foreach (var line in Lines(diskstats))
        {
            var f = Fields(line);
            if (f.Length < 14)
            {
                continue;
            }
            long At(int i) => i < f.Length ? Long(f[i]) : 0;
            // Fields after the name: reads (ios merges sectors ticks), writes (same), in flight, io ticks,
            // time in queue, then discards (ios merges sectors ticks) since Linux 4.18.
            disks.Add(new DiskCounters(f[2],
                ReadIos: At(3), ReadSectors: At(5), ReadTicks: At(6),
                WriteIos: At(7), WriteSectors: At(9), WriteTicks: At(10),
                IoTicks: At(12), TimeInQueue: At(13),
                DiscardIos: At(14), DiscardSectors: At(16), DiscardTicks: At(17)));
        }

        var interfaces = new List<InterfaceCounters>();
        foreach (var line in Lines(netDev))
        {
            var colon = line.IndexOf(':', StringComparison.Ordinal);
            if (colon < 0)
            {
                continue;
            }
            var name = line[..colon].Trim();
            var f = Fields(line[(colon + 1)..]).Select(Long).ToArray();
            if (name.Length == 0 || f.Length < 16)
            {
                continue;
            }
            interfaces.Add(new InterfaceCounters(name,
                RxBytes: f[0], RxPackets: f[1], RxErrors: f[2], RxDrop: f[3], RxFifo: f[4], RxFrame: f[5], RxCompressed: f[6], RxMulticast: f[7],
                TxBytes: f[8], TxPackets: f[9], TxErrors: f[10], TxDrop: f[11], TxFifo: f[12], Collisions: f[13], TxCarrier: f[14], TxCompressed: f[15]));
        }

        return new ProcCounters(cpu, cpuCount, blocked, vm, disks, interfaces);
    }

    internal static IEnumerable<string> Lines(string text) => text.Split('\n');

    internal static string[] Fields(string line) => line.Split([' ', '\t'], StringSplitOptions.RemoveEmptyEntries);

    internal static long Long(string s) =>
        long.TryParse(s, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var v) ? v : 0;
}
