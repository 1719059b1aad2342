using System.Globalization;
using System.Text;
using Kpack.Linux.Reports;

namespace Kpack.Linux.Proc;

/// <summary>Writes a section computed from /proc in sar's layout, so both sources publish alike texts.</summary>
internal static class TableRenderer
{
    // Columns sar prints as whole numbers.
    private static readonly HashSet<string> Integers = new(StringComparer.Ordinal)
    {
        "kbmemfree", "kbavail", "kbmemused", "kbbuffers", "kbcached", "kbcommit", "kbactive", "kbinact", "kbdirty",
        "runq-sz", "plist-sz", "blocked", "MBfsfree", "MBfsused", "Ifree", "Iused",
    };

    public static SarTable Table(SarTableKind kind, string? keyColumn, IReadOnlyList<string> columns, IReadOnlyList<SarRow> rows)
    {
        var keyLast = keyColumn == "FILESYSTEM";
        var keyWidth = Math.Max(keyColumn?.Length ?? 0, rows.Select(r => r.Key.Length).DefaultIfEmpty(0).Max());
        var widths = columns.Select((c, i) => Math.Max(9, Math.Max(c.Length,
            rows.Select(r => Format(c, r.Values[i]).Length).DefaultIfEmpty(0).Max()))).ToArray();

        var sb = new StringBuilder();
        void Line(string key, IEnumerable<string> cells)
        {
            var parts = new List<string>();
            if (keyColumn is not null && !keyLast)
            {
                parts.Add(key.PadLeft(keyWidth));
            }
            parts.AddRange(cells.Select((c, i) => c.PadLeft(widths[i])));
            if (keyColumn is not null && keyLast)
            {
                parts.Add(key);
            }
            sb.Append(string.Join(' ', parts).TrimEnd()).Append('\n');
        }
        Line(keyColumn ?? "", columns);
        foreach (var row in rows)
        {
            Line(row.Key, columns.Select((c, i) => Format(c, row.Values[i])));
        }
        return new SarTable(kind, keyColumn, columns, rows, sb.ToString());
    }

    private static string Format(string column, decimal? value) => value switch
    {
        null => "-",
        { } v when Integers.Contains(column) => decimal.Round(v, 0).ToString("0", CultureInfo.InvariantCulture),
        { } v => v.ToString("0.00", CultureInfo.InvariantCulture),
    };
}
