using Kpack.Linux.Reports;

namespace Kpack.Linux.Proc;

/// <summary>
/// Computes, from two /proc snapshots, the figures sysstat 12 prints for <c>sar -BWrdFqu -n DEV,EDEV</c>,
/// with its column names and formulas (sysstat's rd_stats.c and pr_stats.c), so the package publishes the
/// same uris with or without sar. Guarded by ProcTests.
/// </summary>
internal static class ProcReportBuilder
{
    private static readonly string[] CpuColumns = ["%user", "%nice", "%system", "%iowait", "%steal", "%idle"];
    private static readonly string[] LoadColumns = ["runq-sz", "plist-sz", "ldavg-1", "ldavg-5", "ldavg-15", "blocked"];
    private static readonly string[] MemoryColumns = ["kbmemfree", "kbavail", "kbmemused", "%memused", "kbbuffers", "kbcached", "kbcommit", "%commit", "kbactive", "kbinact", "kbdirty"];
    private static readonly string[] SwapColumns = ["pswpin/s", "pswpout/s"];
    private static readonly string[] PagingColumns = ["pgpgin/s", "pgpgout/s", "fault/s", "majflt/s", "pgfree/s", "pgscank/s", "pgscand/s", "pgsteal/s", "%vmeff"];
    private static readonly string[] DeviceColumns = ["tps", "rkB/s", "wkB/s", "dkB/s", "areq-sz", "aqu-sz", "await", "%util"];
    private static readonly string[] FilesystemColumns = ["MBfsfree", "MBfsused", "%fsused", "%ufsused", "Ifree", "Iused", "%Iused"];
    private static readonly string[] TrafficColumns = ["rxpck/s", "txpck/s", "rxkB/s", "txkB/s", "rxcmp/s", "txcmp/s", "rxmcst/s", "%ifutil"];
    private static readonly string[] ErrorColumns = ["rxerr/s", "txerr/s", "coll/s", "rxdrop/s", "txdrop/s", "txcarr/s", "rxfram/s", "rxfifo/s", "txfifo/s"];

    /// <summary>Builds the report.</summary>
    /// <param name="before">The first snapshot.</param>
    /// <param name="after">The second snapshot.</param>
    /// <param name="seconds">Seconds between them (sar's interval).</param>
    /// <param name="meminfo">/proc/meminfo at the second snapshot.</param>
    /// <param name="loadavg">/proc/loadavg at the second snapshot.</param>
    /// <param name="filesystems">statvfs of each mounted device (see <see cref="Mounts.Devices"/>).</param>
    /// <param name="isWholeDisk">Whether a /proc/diskstats name is a whole disk (sar -d leaves partitions out).</param>
    /// <param name="speedMbps">An interface's link speed in Mb/s, or null when unknown (then %ifutil is 0, as sar).</param>
    /// <param name="header">The first line of the datasource <c>cpu</c>, as sar's.</param>
    public static ResourceReport Build(
        ProcCounters before,
        ProcCounters after,
        double seconds,
        string meminfo,
        string loadavg,
        IReadOnlyList<FilesystemUsage> filesystems,
        Func<string, bool> isWholeDisk,
        Func<string, long?> speedMbps,
        string? header)
    {
        ArgumentNullException.ThrowIfNull(before);
        ArgumentNullException.ThrowIfNull(after);
        ArgumentNullException.ThrowIfNull(filesystems);
        ArgumentNullException.ThrowIfNull(isWholeDisk);
        ArgumentNullException.ThrowIfNull(speedMbps);
        var interval = (decimal)Math.Max(seconds, 0.001);
        var tables = new List<SarTable>
        {
            TableRenderer.Table(SarTableKind.Cpu, "CPU", CpuColumns, [new SarRow("all", Cpu(before.Cpu, after.Cpu))]),
            Swapping(before, after, interval),
            Paging(before, after, interval),
        };
        var mem = Meminfo(meminfo);
        if (mem.Count > 0)
        {
            tables.Add(TableRenderer.Table(SarTableKind.Memory, null, MemoryColumns, [new SarRow("", Memory(mem))]));
        }
        if (Load(loadavg, after.ProcsBlocked) is { } load)
        {
            tables.Add(TableRenderer.Table(SarTableKind.Load, null, LoadColumns, [new SarRow("", load)]));
        }
        tables.Add(Devices(before, after, interval, isWholeDisk));
        tables.Add(TableRenderer.Table(SarTableKind.Filesystems, "FILESYSTEM", FilesystemColumns,
            filesystems.Where(f => f.Blocks > 0).Select(Filesystem).ToList()));
        var (traffic, errors) = Interfaces(before, after, interval, speedMbps);
        tables.Add(traffic);
        tables.Add(errors);
        return new ResourceReport("proc", header, after.CpuCount > 0 ? after.CpuCount : null, tables);
    }

    private static List<decimal?> Cpu(CpuTimes a, CpuTimes b)
    {
        // As sysstat: guest time is already in user (and guest_nice in nice); irq and softirq count as system.
        decimal user = (b.User - b.Guest) - (a.User - a.Guest);
        decimal nice = (b.Nice - b.GuestNice) - (a.Nice - a.GuestNice);
        decimal system = (b.System + b.Irq + b.Softirq) - (a.System + a.Irq + a.Softirq);
        decimal iowait = b.Iowait - a.Iowait;
        decimal steal = b.Steal - a.Steal;
        decimal idle = b.Idle - a.Idle;
        decimal guest = (b.Guest + b.GuestNice) - (a.Guest + a.GuestNice);
        var total = user + nice + system + iowait + steal + idle + guest;
        decimal? P(decimal part) => total <= 0 ? 0m : Round(Math.Max(part, 0) * 100 / total);
        return [P(user + guest), P(nice), P(system), P(iowait), P(steal), P(idle)];
    }

    private static SarTable Swapping(ProcCounters a, ProcCounters b, decimal interval) =>
        TableRenderer.Table(SarTableKind.Swapping, null, SwapColumns,
            [new SarRow("", [Rate(a, b, "pswpin", interval), Rate(a, b, "pswpout", interval)])]);

    private static SarTable Paging(ProcCounters a, ProcCounters b, decimal interval)
    {
        decimal Sum(ProcCounters c, Func<string, bool> which) => c.Vmstat.Where(kv => which(kv.Key)).Sum(kv => (decimal)kv.Value);
        static bool Kswapd(string k) => k.StartsWith("pgscan_kswapd", StringComparison.Ordinal);
        static bool Direct(string k) => k.StartsWith("pgscan_direct", StringComparison.Ordinal) && k != "pgscan_direct_throttle";
        static bool Steal(string k) => k.StartsWith("pgsteal_kswapd", StringComparison.Ordinal) || k.StartsWith("pgsteal_direct", StringComparison.Ordinal);
        var scank = Math.Max(Sum(b, Kswapd) - Sum(a, Kswapd), 0);
        var scand = Math.Max(Sum(b, Direct) - Sum(a, Direct), 0);
        var steal = Math.Max(Sum(b, Steal) - Sum(a, Steal), 0);
        var vmeff = scank + scand > 0 ? Round(steal * 100 / (scank + scand)) : 0m;
        return TableRenderer.Table(SarTableKind.Paging, null, PagingColumns,
        [
            new SarRow("",
            [
                Rate(a, b, "pgpgin", interval), Rate(a, b, "pgpgout", interval), Rate(a, b, "pgfault", interval),
                Rate(a, b, "pgmajfault", interval), Rate(a, b, "pgfree", interval),
                Round(scank / interval), Round(scand / interval), Round(steal / interval), vmeff,
            ]),
        ]);
    }

    private static decimal? Rate(ProcCounters a, ProcCounters b, string key, decimal interval) =>
        b.Vmstat.TryGetValue(key, out var y) && a.Vmstat.TryGetValue(key, out var x) ? Round(Math.Max(y - x, 0) / interval) : null;

    // The /proc/meminfo fields Memory reads; the rest of the file's 50-odd lines are skipped without a string.
    private static readonly HashSet<string> MeminfoNames = new(StringComparer.Ordinal)
    {
        "MemTotal", "MemFree", "MemAvailable", "Buffers", "Cached", "SReclaimable", "SwapTotal", "Committed_AS", "Active", "Inactive", "Dirty",
    };

    /// <summary>The fields of /proc/meminfo the memory section reads, in kB, by name.</summary>
    internal static Dictionary<string, long> Meminfo(string text)
    {
        var result = new Dictionary<string, long>(StringComparer.Ordinal);
        var names = MeminfoNames.GetAlternateLookup<ReadOnlySpan<char>>();
        foreach (var range in text.AsSpan().Split('\n'))
        {
            var line = text.AsSpan()[range];
            var colon = line.IndexOf(':');
            if (colon > 0 && names.TryGetValue(line[..colon].Trim(), out var name)
                && new ProcCounters.FieldCursor(line[(colon + 1)..]).Next(out var value))
            {
                result[name] = ProcCounters.Long(value);
            }
        }
        return result;
    }

    private static List<decimal?> Memory(Dictionary<string, long> m)
    {
        decimal Get(string k) => m.GetValueOrDefault(k);
        var total = Get("MemTotal");
        var free = Get("MemFree");
        // sysstat 12: used = total - free - buffers - cached - slab reclaimable (when that stays positive).
        var notUsed = free + Get("Buffers") + Get("Cached") + Get("SReclaimable");
        var used = total - (notUsed > total ? free : notUsed);
        var commitBase = total + Get("SwapTotal");
        return
        [
            free, Get("MemAvailable"), used, total > 0 ? Round(used * 100 / total) : 0m,
            Get("Buffers"), Get("Cached"), Get("Committed_AS"), commitBase > 0 ? Round(Get("Committed_AS") * 100 / commitBase) : 0m,
            Get("Active"), Get("Inactive"), Get("Dirty"),
        ];
    }

    private static List<decimal?>? Load(string loadavg, long blocked)
    {
        // "0.42 0.30 0.25 2/233 17586": load averages, running/total scheduling entities, last pid.
        var f = ProcCounters.Fields(loadavg.Trim());
        if (f.Length < 4 || f[3].Split('/') is not [var running, var total])
        {
            return null;
        }
        return
        [
            ProcCounters.Long(running), ProcCounters.Long(total),
            SarParser.ParseNumber(f[0]), SarParser.ParseNumber(f[1]), SarParser.ParseNumber(f[2]), blocked,
        ];
    }

    private static SarTable Devices(ProcCounters a, ProcCounters b, decimal interval, Func<string, bool> isWholeDisk)
    {
        var rows = new List<SarRow>();
        var earlier = a.Disks.ToDictionary(d => d.Name, StringComparer.Ordinal);
        foreach (var y in b.Disks)
        {
            if (y.Idle || !isWholeDisk(y.Name) || !earlier.TryGetValue(y.Name, out var x))
            {
                continue;
            }
            decimal ios = (y.ReadIos + y.WriteIos + y.DiscardIos) - (x.ReadIos + x.WriteIos + x.DiscardIos);
            decimal rsec = y.ReadSectors - x.ReadSectors, wsec = y.WriteSectors - x.WriteSectors, dsec = y.DiscardSectors - x.DiscardSectors;
            decimal ticks = (y.ReadTicks + y.WriteTicks + y.DiscardTicks) - (x.ReadTicks + x.WriteTicks + x.DiscardTicks);
            var ms = interval * 1000;
            rows.Add(new SarRow(y.Name,
            [
                Round(ios / interval),
                Round(rsec / 2 / interval), Round(wsec / 2 / interval), Round(dsec / 2 / interval),
                ios > 0 ? Round((rsec + wsec + dsec) / 2 / ios) : 0m,
                Round((y.TimeInQueue - x.TimeInQueue) / ms),
                ios > 0 ? Round(ticks / ios) : 0m,
                Round(Math.Min((y.IoTicks - x.IoTicks) * 100 / ms, 100m)),
            ]));
        }
        return TableRenderer.Table(SarTableKind.Devices, "DEV", DeviceColumns, rows);
    }

    private static SarRow Filesystem(FilesystemUsage f)
    {
        const decimal MB = 1024 * 1024;
        decimal blocks = f.Blocks, free = f.FreeBlocks, avail = f.AvailableBlocks, size = f.FragmentSize;
        decimal files = f.Files, ffree = f.FreeFiles;
        return new SarRow(f.Name,
        [
            Math.Floor(free * size / MB), Math.Floor((blocks - free) * size / MB),
            Round((blocks - free) * 100 / blocks), Round((blocks - avail) * 100 / blocks),
            ffree, files - ffree, files > 0 ? Round((files - ffree) * 100 / files) : 0m,
        ]);
    }

    private static (SarTable Traffic, SarTable Errors) Interfaces(ProcCounters a, ProcCounters b, decimal interval, Func<string, long?> speedMbps)
    {
        var traffic = new List<SarRow>();
        var errors = new List<SarRow>();
        var earlier = a.Interfaces.ToDictionary(i => i.Name, StringComparer.Ordinal);
        foreach (var y in b.Interfaces)
        {
            if (!earlier.TryGetValue(y.Name, out var x))
            {
                continue;
            }
            decimal R(Func<InterfaceCounters, long> f) => Round(Math.Max(f(y) - f(x), 0) / interval);
            var rxBytes = Math.Max(y.RxBytes - x.RxBytes, 0) / interval;
            var txBytes = Math.Max(y.TxBytes - x.TxBytes, 0) / interval;
            // sysstat, full duplex: the busier direction against the link speed.
            var util = speedMbps(y.Name) is > 0 and { } speed ? Round(Math.Min(Math.Max(rxBytes, txBytes) * 8 * 100 / (speed * 1_000_000m), 100m)) : 0m;
            traffic.Add(new SarRow(y.Name,
            [
                R(i => i.RxPackets), R(i => i.TxPackets), Round(rxBytes / 1024), Round(txBytes / 1024),
                R(i => i.RxCompressed), R(i => i.TxCompressed), R(i => i.RxMulticast), util,
            ]));
            errors.Add(new SarRow(y.Name,
            [
                R(i => i.RxErrors), R(i => i.TxErrors), R(i => i.Collisions), R(i => i.RxDrop), R(i => i.TxDrop),
                R(i => i.TxCarrier), R(i => i.RxFrame), R(i => i.RxFifo), R(i => i.TxFifo),
            ]));
        }
        return (TableRenderer.Table(SarTableKind.InterfaceTraffic, "IFACE", TrafficColumns, traffic),
            TableRenderer.Table(SarTableKind.InterfaceErrors, "IFACE", ErrorColumns, errors));
    }

    private static decimal Round(decimal d) => decimal.Round(d, 2, MidpointRounding.AwayFromZero);
}
