using System.Globalization;

namespace Kpack.Linux.Proc;

/// <summary>
/// The cumulative counters of one /proc snapshot: /proc/stat, /proc/vmstat, /proc/diskstats and
/// /proc/net/dev. Two snapshots a second or two apart give the rates sar prints. Guarded by ProcTests.
/// </summary>
/// <remarks>
/// Parsed over spans, field by field: no array per line, no string per field, no LINQ. The only strings made
/// are the names that are kept (disks, interfaces, the vmstat counters the report reads).
/// </remarks>
internal sealed record ProcCounters(
    CpuTimes Cpu,
    int CpuCount,
    long ProcsBlocked,
    IReadOnlyDictionary<string, long> Vmstat,
    IReadOnlyList<DiskCounters> Disks,
    IReadOnlyList<InterfaceCounters> Interfaces)
{
    // The vmstat counters ProcReportBuilder reads: these names, and the page-scan and steal families it sums.
    private static readonly string[] VmstatNames = ["pswpin", "pswpout", "pgpgin", "pgpgout", "pgfault", "pgmajfault", "pgfree"];
    private static readonly string[] VmstatPrefixes = ["pgscan_kswapd", "pgscan_direct", "pgsteal_kswapd", "pgsteal_direct"];

    /// <summary>Parses the four files' texts; missing or odd lines are skipped, never thrown on.</summary>
    public static ProcCounters Parse(string stat, string vmstat, string diskstats, string netDev)
    {
        ArgumentNullException.ThrowIfNull(stat);
        ArgumentNullException.ThrowIfNull(vmstat);
        ArgumentNullException.ThrowIfNull(diskstats);
        ArgumentNullException.ThrowIfNull(netDev);
        var cpu = new CpuTimes(0, 0, 0, 0, 0, 0, 0, 0, 0, 0);
        var cpuCount = 0;
        long blocked = 0;
        Span<long> v = stackalloc long[18];
        foreach (var range in stat.AsSpan().Split('\n'))
        {
            var line = stat.AsSpan()[range];
            var f = new FieldCursor(line);
            if (!f.Next(out var first))
            {
                continue;
            }
            if (first.SequenceEqual("cpu"))
            {
                var n = f.Longs(v[..10]);
                v[n..10].Clear();
                cpu = new CpuTimes(v[0], v[1], v[2], v[3], v[4], v[5], v[6], v[7], v[8], v[9]);
            }
            else if (first.StartsWith("cpu", StringComparison.Ordinal) && first.Length > 3 && char.IsAsciiDigit(first[3]))
            {
                cpuCount++;
            }
            else if (first.SequenceEqual("procs_blocked") && f.Next(out var b))
            {
                blocked = Long(b);
            }
        }

        var vm = new Dictionary<string, long>(StringComparer.Ordinal);
        foreach (var range in vmstat.AsSpan().Split('\n'))
        {
            var f = new FieldCursor(vmstat.AsSpan()[range]);
            if (f.Next(out var name) && f.Next(out var value) && !f.Next(out _) && Wanted(name))
            {
                vm[name.ToString()] = Long(value);
            }
        }

        var disks = new List<DiskCounters>();
        foreach (var range in diskstats.AsSpan().Split('\n'))
        {
            // major minor name, then reads (ios merges sectors ticks), writes (same), in flight, io ticks,
            // time in queue, then discards (ios merges sectors ticks) since Linux 4.18.
            var f = new FieldCursor(diskstats.AsSpan()[range]);
            if (!f.Next(out _) || !f.Next(out _) || !f.Next(out var name))
            {
                continue;
            }
            var n = f.Longs(v[..15]);
            if (n < 11)
            {
                continue; // fewer than 14 fields
            }
            v[n..15].Clear();
            disks.Add(new DiskCounters(name.ToString(),
                ReadIos: v[0], ReadSectors: v[2], ReadTicks: v[3],
                WriteIos: v[4], WriteSectors: v[6], WriteTicks: v[7],
                IoTicks: v[9], TimeInQueue: v[10],
                DiscardIos: v[11], DiscardSectors: v[13], DiscardTicks: v[14]));
        }

        var interfaces = new List<InterfaceCounters>();
        foreach (var range in netDev.AsSpan().Split('\n'))
        {
            var line = netDev.AsSpan()[range];
            var colon = line.IndexOf(':');
            if (colon < 0)
            {
                continue;
            }
            var name = line[..colon].Trim();
            var n = new FieldCursor(line[(colon + 1)..]).Longs(v[..16]);
            if (name.IsEmpty || n < 16)
            {
                continue;
            }
            interfaces.Add(new InterfaceCounters(name.ToString(),
                RxBytes: v[0], RxPackets: v[1], RxErrors: v[2], RxDrop: v[3], RxFifo: v[4], RxFrame: v[5], RxCompressed: v[6], RxMulticast: v[7],
                TxBytes: v[8], TxPackets: v[9], TxErrors: v[10], TxDrop: v[11], TxFifo: v[12], Collisions: v[13], TxCarrier: v[14], TxCompressed: v[15]));
        }

        return new ProcCounters(cpu, cpuCount, blocked, vm, disks, interfaces);
    }

    private static bool Wanted(ReadOnlySpan<char> name)
    {
        foreach (var n in VmstatNames)
        {
            if (name.SequenceEqual(n))
            {
                return true;
            }
        }
        foreach (var p in VmstatPrefixes)
        {
            if (name.StartsWith(p, StringComparison.Ordinal))
            {
                return true;
            }
        }
        return false;
    }

    internal static IEnumerable<string> Lines(string text) => text.Split('\n');

    internal static string[] Fields(string line) => line.Split([' ', '\t'], StringSplitOptions.RemoveEmptyEntries);

    internal static long Long(string s) => Long(s.AsSpan());

    internal static long Long(ReadOnlySpan<char> s) =>
        long.TryParse(s, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var v) ? v : 0;

    /// <summary>The blank-separated fields of one line, one at a time, without allocating.</summary>
    internal ref struct FieldCursor(ReadOnlySpan<char> line)
    {
        private ReadOnlySpan<char> _rest = line;

        public bool Next(out ReadOnlySpan<char> field)
        {
            var start = _rest.IndexOfAnyExcept(' ', '\t');
            if (start < 0)
            {
                field = default;
                _rest = default;
                return false;
            }
            _rest = _rest[start..];
            var end = _rest.IndexOfAny(' ', '\t');
            if (end < 0)
            {
                end = _rest.Length;
            }
            field = _rest[..end];
            _rest = _rest[end..];
            return true;
        }

        /// <summary>Parses the next fields as numbers (0 for one that is not) into <paramref name="into"/>; returns how many there were.</summary>
        public int Longs(scoped Span<long> into)
        {
            var n = 0;
            while (n < into.Length && Next(out var field))
            {
                into[n++] = Long(field);
            }
            return n;
        }
    }
}
