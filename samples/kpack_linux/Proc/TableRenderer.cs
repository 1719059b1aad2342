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
        // Each cell formatted once, then the lines written straight into one builder: this runs for every
        // section of every collection, so no list, join or padded copy per line.
        var keyWidth = keyColumn?.Length ?? 0;
        var widths = new int[columns.Count];
        for (var c = 0; c < columns.Count; c++)
        {
            widths[c] = Math.Max(9, columns[c].Length);
        }
        var cells = new string[rows.Count * columns.Count];
        for (var r = 0; r < rows.Count; r++)
        {
            keyWidth = Math.Max(keyWidth, rows[r].Key.Length);
            for (var c = 0; c < columns.Count; c++)
            {
                var cell = Format(columns[c], rows[r].Values[c]);
                cells[(r * columns.Count) + c] = cell;
                widths[c] = Math.Max(widths[c], cell.Length);
            }
        }

        var sb = new StringBuilder(64 * (rows.Count + 1));
        Line(sb, keyColumn, keyWidth, keyColumn ?? "", widths, columns as string[] ?? [.. columns], 0);
        for (var r = 0; r < rows.Count; r++)
        {
            Line(sb, keyColumn, keyWidth, rows[r].Key, widths, cells, r * columns.Count);
        }
        return new SarTable(kind, keyColumn, columns, rows, sb.ToString());
    }

    // One line: the key right-aligned first (or as it is, last, for FILESYSTEM, as sar), each cell right-aligned
    // to its column, one space between, no trailing blanks.
    private static void Line(StringBuilder sb, string? keyColumn, int keyWidth, string key, int[] widths, string[] cells, int offset)
    {
        var start = sb.Length;
        var keyLast = keyColumn == "FILESYSTEM";
        var first = true;
        if (keyColumn is not null && !keyLast)
        {
            Part(sb, ref first, key, keyWidth);
        }
        for (var i = 0; i < widths.Length; i++)
        {
            Part(sb, ref first, cells[offset + i], widths[i]);
        }
        if (keyColumn is not null && keyLast)
        {
            Part(sb, ref first, key, 0);
        }
        var end = sb.Length;
        while (end > start && char.IsWhiteSpace(sb[end - 1]))
        {
            end--;
        }
        sb.Length = end;
        sb.Append('\n');
    }

    // A part right-aligned to width, after a space unless it is the line's first.
    private static void Part(StringBuilder sb, ref bool first, string text, int width)
    {
        if (!first)
        {
            sb.Append(' ');
        }
        first = false;
        sb.Append(' ', Math.Max(width - text.Length, 0)).Append(text);
    }

    private static string Format(string column, decimal? value) => value switch
    {
        null => "-",
        { } v when Integers.Contains(column) => decimal.Round(v, 0).ToString("0", CultureInfo.InvariantCulture),
        { } v => v.ToString("0.00", CultureInfo.InvariantCulture),
    };
}
