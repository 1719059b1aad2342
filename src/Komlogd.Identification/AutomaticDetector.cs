namespace Komlogd.Identification;

/// <summary>
/// The cells of a sample that can become automatic datapoints, named <c>&lt;row&gt;.&lt;column&gt;</c> (or
/// <c>&lt;key&gt;</c>) by <see cref="UriLevel"/>:
/// <list type="bullet">
/// <item>table cells: a number under a header word in a row with a label. The label is the row's words
/// before its first number, times and dates left out (sar's <c>12:10:01 AM all</c> is <c>all</c>); a row
/// with no word before its first number (a PID) has none. When a label repeats in the table the row's
/// word after its last number is added if it is one word (df's <c>tmpfs … /run</c>, not ps's
/// state and command line); a label that still repeats, or has no letter, names nothing. A table whose rows
/// have no words names its first row only, by the header's title (<c>avg-cpu:</c>) or by nothing
/// (vmstat's <c>free</c>): the first row is the only one with a stable place.</item>
/// <item><c>key: value</c> lines: the words before the value (<c>MemTotal</c>, <c>used_memory</c>).</item>
/// </list>
/// </summary>
internal static class AutomaticDetector
{
    public static List<AutomaticCell> Cells(TextLayout layout, List<(IReadOnlyList<string> Table, List<string> Labels)> tables)
    {
        var cells = new List<AutomaticCell>();
        var scan = layout.Scan;
        foreach (var table in layout.Tables)
        {
            var labels = RowLabels(layout, table);
            tables.Add((table.Signature, labels.Where(l => l is { Length: > 0 }).Distinct(StringComparer.Ordinal).Select(l => l!).ToList()));
            // Each column's text and level once per table, each row's level once per row.
            var columns = new string[table.Columns.Length];
            var columnLevels = new string?[table.Columns.Length];
            for (var c = 0; c < columns.Length; c++)
            {
                columns[c] = ColumnText(layout, table, c);
                columnLevels[c] = UriLevel.Of(columns[c]);
            }
            for (var r = 0; r < table.Rows.Count; r++)
            {
                if (labels[r] is not { } label || (label.Length == 0 && r > 0))
                {
                    continue;
                }
                var row = label.Length == 0 ? Title(layout, table) : label;
                var rowLevel = row.Length == 0 ? "" : UriLevel.Of(row);
                if (rowLevel is null)
                {
                    continue;
                }
                foreach (var t in scan.LineTokens(table.Rows[r]))
                {
                    if (t.IsNumber && layout.Columns[t.Number] is var c and >= 0 && columnLevels[c] is { } columnLevel)
                    {
                        cells.Add(new AutomaticCell(table.Signature, label, columns[c], t.Number, rowLevel.Length == 0 ? columnLevel : $"{rowLevel}.{columnLevel}"));
                    }
                }
            }
        }
        for (var line = 0; line < scan.Lines.Count; line++)
        {
            if (!layout.KeyValueLines[line])
            {
                continue;
            }
            var tokens = scan.LineTokens(line);
            var words = new List<string>();
            var number = -1;
            foreach (var t in tokens)
            {
                if (t.IsNumber)
                {
                    number = t.Number;
                    break;
                }
                words.Add(scan.Text[t.Start..t.End]);
            }
            var key = string.Join(' ', words);
            if (UriLevel.Of(key) is { } name)
            {
                cells.Add(new AutomaticCell([], key, "", number, name));
            }
        }
        return cells;
    }

    /// <summary>Per row: its label, "" for a row without words, null for a row that cannot be named.</summary>
    static string?[] RowLabels(TextLayout layout, TextLayout.Table table)
    {
        var scan = layout.Scan;
        var leading = new string?[table.Rows.Count];
        var trailing = new string[table.Rows.Count];
        for (var r = 0; r < table.Rows.Count; r++)
        {
            var tokens = scan.LineTokens(table.Rows[r]);
            var before = new List<string>();
            var after = new List<string>();
            var seenNumber = false;
            var anyWord = false;
            foreach (var t in tokens)
            {
                if (t.IsNumber)
                {
                    seenNumber = true;
                    after.Clear();
                    continue;
                }
                anyWord = true;
                var raw = scan.Text[t.Start..t.End];
                if (t.Key is WordKey.Time or WordKey.Date || raw is "AM" or "PM")
                {
                    continue;
                }
                (seenNumber ? after : before).Add(raw);
            }
            // One trailing word tells twins apart (df's mount point); more are states and command lines (ps's
            // "S  [kworker/0:1]"), which change.
            trailing[r] = after.Count == 1 ? after[0] : "";
            // A row whose words all follow its first number (top's and ps's PID-first rows) has no label.
            leading[r] = !anyWord ? "" : before.Count > 0 ? string.Join(' ', before) : null;
        }
        var result = new string?[table.Rows.Count];
        var counts = Counts(leading);
        var extended = new string?[table.Rows.Count];
        for (var r = 0; r < result.Length; r++)
        {
            extended[r] = leading[r] is { Length: > 0 } l && counts[l] > 1 ? (trailing[r].Length > 0 ? $"{l} {trailing[r]}" : null) : leading[r];
        }
        var extendedCounts = Counts(extended);
        for (var r = 0; r < result.Length; r++)
        {
            var label = extended[r];
            result[r] = label switch
            {
                null => null,
                "" => "",
                _ when extendedCounts[label] > 1 || !label.Any(char.IsLetter) => null,
                _ => label,
            };
        }
        return result;
    }

    static Dictionary<string, int> Counts(string?[] labels)
    {
        var counts = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var l in labels)
        {
            if (l is { Length: > 0 })
            {
                counts[l] = counts.GetValueOrDefault(l) + 1;
            }
        }
        return counts;
    }

    /// <summary>The header's first word when it is a title ending in ':' with no number under it (iostat's <c>avg-cpu:</c>), else "".</summary>
    static string Title(TextLayout layout, TextLayout.Table table)
    {
        var scan = layout.Scan;
        var first = scan.Tokens[table.ColumnTokens[0]];
        if (first.End >= scan.Text.Length || scan.Text[first.End] != ':')
        {
            return "";
        }
        foreach (var row in table.Rows)
        {
            foreach (var t in scan.LineTokens(row))
            {
                if (t.IsNumber && layout.Columns[t.Number] == 0)
                {
                    return "";
                }
            }
        }
        return scan.Text[first.Start..first.End];
    }

    /// <summary>The header word as written, with the #n of a repeated word.</summary>
    static string ColumnText(TextLayout layout, TextLayout.Table table, int column)
    {
        var t = layout.Scan.Tokens[table.ColumnTokens[column]];
        var raw = layout.Scan.Text[t.Start..t.End];
        var hash = table.Columns[column].IndexOf('#', StringComparison.Ordinal);
        return hash >= 0 && !raw.Contains('#', StringComparison.Ordinal) ? raw + table.Columns[column][hash..] : raw;
    }
}
