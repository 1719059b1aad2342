using System.Text;
using Komlogd.Sdk;
using Kpack.Linux.Reports;

namespace Kpack.Linux.Publishing;

/// <summary>
/// Turns a <see cref="ResourceReport"/> into the package's uris (<see cref="Build"/>) and inserts them
/// (<see cref="Insert"/>). The anomalies are judged here, in the same run that collects the numbers, so a
/// sample and its anomaly are committed together and devices that appear later are judged without binding
/// anything. Guarded by PublicationTests.
/// </summary>
internal static class ReportPublisher
{
    // The original's names for the -q columns.
    private static readonly Dictionary<string, string> LoadNames = new(StringComparer.Ordinal)
    {
        ["runq-sz"] = "tasks.runnable",
        ["plist-sz"] = "tasks.total",
        ["blocked"] = "tasks.blocked",
        ["ldavg-1"] = "ldavg.1min",
        ["ldavg-5"] = "ldavg.5min",
        ["ldavg-15"] = "ldavg.15min",
    };

    /// <summary>Everything <paramref name="report"/> publishes, relative to the resources root.</summary>
    public static Publication Build(ResourceReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        var points = new List<KeyValuePair<string, decimal>>();
        var anomalies = new List<KeyValuePair<string, decimal>>();
        var texts = new List<PublishedText>();

        // cpu: -u and -q, and the CPU count.
        var cpu = new Section("cpu", points);
        if (report.CpuCount is { } count)
        {
            cpu.Add("cpu_count", count);
        }
        AddKeyed(cpu, report[SarTableKind.Cpu]);
        var load = report[SarTableKind.Load];
        if (load is not null)
        {
            foreach (var column in load.Columns)
            {
                if (load.Single(column) is { } v)
                {
                    cpu.Add(LoadNames.GetValueOrDefault(column) ?? UriNames.Column(column, load.Columns), v);
                }
            }
        }
        texts.AddIfAny(cpu, report.Header, report[SarTableKind.Cpu], report[SarTableKind.Load]);

        var all = report[SarTableKind.Cpu]?.Rows.FirstOrDefault(r => r.Key == "all");
        decimal? Cpu(params string[] names) => all is null ? null
            : names.Select(n => all.Get(report[SarTableKind.Cpu]!, n)).FirstOrDefault(v => v is not null);
        var useParts = new[] { Cpu("%user", "%usr"), Cpu("%nice"), Cpu("%system", "%sys"), Cpu("%steal") };
        decimal? use = useParts.All(p => p is null) ? null : useParts.Sum(p => p ?? 0m);
        if (UseRules.Cpu(use, load?.Single("runq-sz"), load?.Single("ldavg-1"), report.CpuCount) is { } cpuAnomalous)
        {
            anomalies.Add(new("cpu", cpuAnomalous ? 1 : 0));
        }

        // memory: -r, -W, -B.
        var mem = new Section("memory", points);
        foreach (var kind in new[] { SarTableKind.Memory, SarTableKind.Swapping, SarTableKind.Paging })
        {
            if (report[kind] is { } table)
            {
                foreach (var column in table.Columns)
                {
                    if (table.Single(column) is { } v)
                    {
                        mem.Add(UriNames.Column(column, table.Columns), v);
                    }
                }
            }
        }
        texts.AddIfAny(mem, null, report[SarTableKind.Memory], report[SarTableKind.Swapping], report[SarTableKind.Paging]);
        if (UseRules.Memory(report[SarTableKind.Memory]?.Single("%memused"), report[SarTableKind.Paging]?.Single("majflt/s")) is { } memAnomalous)
        {
            anomalies.Add(new("memory", memAnomalous ? 1 : 0));
        }

        // storage: -d and -F, one level per device and per filesystem.
        var storage = new Section("storage", points);
        foreach (var (name, value) in AddKeyed(storage, report[SarTableKind.Devices], "%util"))
        {
            anomalies.Add(new($"storage.{name}.util", UseRules.Disk(value) ? 1 : 0));
        }
        foreach (var (name, value) in AddKeyed(storage, report[SarTableKind.Filesystems], "%fsused"))
        {
            anomalies.Add(new($"storage.{name}.fsused", UseRules.Filesystem(value) ? 1 : 0));
        }
        texts.AddIfAny(storage, null, report[SarTableKind.Devices], report[SarTableKind.Filesystems]);

        // network: -n DEV and -n EDEV, one level per interface.
        var network = new Section("network", points);
        foreach (var (name, value) in AddKeyed(network, report[SarTableKind.InterfaceTraffic], "%ifutil"))
        {
            anomalies.Add(new($"network.{name}.ifutil", UseRules.Interface(value) ? 1 : 0));
        }
        AddKeyed(network, report[SarTableKind.InterfaceErrors]);
        texts.AddIfAny(network, null, report[SarTableKind.InterfaceTraffic], report[SarTableKind.InterfaceErrors]);

        return new Publication(texts, points, anomalies);
    }

    /// <summary>
    /// Inserts <paramref name="publication"/> at <paramref name="t"/> under <paramref name="root"/>
    /// (<c>pkg.kpack_linux.&lt;host&gt;.system.resources</c>). A name that makes no valid uri (too long) is
    /// skipped and reported in the result; everything else is inserted.
    /// </summary>
    public static IReadOnlyList<string> Insert(string root, Publication publication, DateTimeOffset t)
    {
        ArgumentNullException.ThrowIfNull(publication);
        var skipped = new List<string>();
        foreach (var text in publication.Datasources)
        {
            var uri = $"{root}.{text.Uri}";
            if (!Uris.TryValidate(uri, out _))
            {
                skipped.Add(uri);
                continue;
            }
            // uri is valid, so uri.s is valid when s is a valid local uri and the two fit: no string made to find out.
            var supplies = text.Supplies.Where(s => uri.Length + 1 + s.Length <= Uris.MaxLength && Uris.IsLocal(s)).ToList();
            new Datasource(uri, supplies).Insert(t, Truncate(text.Text));
        }
        foreach (var (relative, value) in publication.Datapoints)
        {
            var uri = $"{root}.{relative}";
            if (Uris.TryValidate(uri, out _))
            {
                new Datapoint(uri).Insert(t, value);
            }
            else
            {
                skipped.Add(uri);
            }
        }
        foreach (var (relative, value) in publication.Anomalies)
        {
            var uri = $"{root}.{relative}";
            if (Uris.TryValidate($"{uri}.{Anomaly.Suffix}", out _))
            {
                new Anomaly(new Datapoint(uri)).Insert(t, value);
            }
            else
            {
                skipped.Add($"{uri}.{Anomaly.Suffix}");
            }
        }
        return skipped;
    }

    /// <summary>Cuts a text to the datasource limit at a line end (a box with hundreds of interfaces).</summary>
    internal static string Truncate(string text)
    {
        const string Marker = "...(truncated)\n";
        if (Encoding.UTF8.GetByteCount(text) <= Limits.MaxDatasourceBytes)
        {
            return text;
        }
        var budget = Limits.MaxDatasourceBytes - Marker.Length;
        var sb = new StringBuilder();
        var bytes = 0;
        foreach (var line in text.Split('\n'))
        {
            var n = Encoding.UTF8.GetByteCount(line) + 1;
            if (bytes + n > budget)
            {
                break;
            }
            sb.Append(line).Append('\n');
            bytes += n;
        }
        return sb.Append(Marker).ToString();
    }

    /// <summary>
    /// Adds every value of a keyed section as <c>&lt;section&gt;.&lt;key&gt;.&lt;column&gt;</c>, and returns
    /// each row's <paramref name="judged"/> column (by key level) for the anomaly rules.
    /// </summary>
    private static List<(string Name, decimal Value)> AddKeyed(Section section, SarTable? table, string? judged = null)
    {
        var result = new List<(string, decimal)>();
        if (table is null)
        {
            return result;
        }
        var levels = table.Columns.Select(c => UriNames.Column(c, table.Columns)).ToList();
        foreach (var row in table.Rows)
        {
            var key = UriNames.Level(row.Key);
            if (!section.ClaimKey(table.Kind, row.Key, key))
            {
                continue; // two names that make one level: the first keeps it
            }
            for (var i = 0; i < table.Columns.Count && i < row.Values.Count; i++)
            {
                if (row.Values[i] is { } v)
                {
                    section.Add($"{key}.{levels[i]}", v);
                }
            }
            if (judged is not null && row.Get(table, judged) is { } j)
            {
                result.Add((key, j));
            }
        }
        return result;
    }

    private static void AddIfAny(this List<PublishedText> texts, Section section, string? header, params SarTable?[] tables)
    {
        var present = tables.OfType<SarTable>().ToList();
        if (present.Count == 0)
        {
            return;
        }
        var sb = new StringBuilder();
        if (header is not null)
        {
            sb.Append(header).Append("\n\n");
        }
        sb.AppendJoin("\n", present.Select(t => t.Text));
        texts.Add(new PublishedText(section.Name, sb.ToString(), section.Supplies));
    }

    /// <summary>The datapoints of one datasource, relative to it for <c>supplies</c>.</summary>
    private sealed class Section(string name, List<KeyValuePair<string, decimal>> points)
    {
        private readonly HashSet<string> names = new(StringComparer.Ordinal);
        private readonly Dictionary<string, (SarTableKind Family, string Raw)> keys = new(StringComparer.Ordinal);

        public string Name => name;

        public List<string> Supplies { get; } = [];

        public void Add(string relative, decimal value)
        {
            if (names.Add(relative))
            {
                Supplies.Add(relative);
                points.Add(new($"{name}.{relative}", value));
            }
        }

        /// <summary>
        /// True when <paramref name="level"/> is free or already belongs to the same name in the same family of
        /// sections (an interface is in both -n DEV and -n EDEV; a device and a filesystem are not the same).
        /// </summary>
        public bool ClaimKey(SarTableKind kind, string raw, string level)
        {
            var family = kind == SarTableKind.InterfaceErrors ? SarTableKind.InterfaceTraffic : kind;
            return keys.TryAdd(level, (family, raw)) || keys[level] == (family, raw);
        }
    }
}
