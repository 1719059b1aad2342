using System.Globalization;
using System.Text;

namespace Kpack.Linux.Reports;

/// <summary>
/// Reads the text of <c>sar -BWrdFqu -n DEV,EDEV 2 1</c> into a <see cref="ResourceReport"/>.
/// </summary>
/// <remarks>
/// sar prints blocks separated by blank lines; each starts with a header line whose first field is a time
/// (<c>13:15:42</c>, or <c>01:15:42 PM</c> in 12-hour locales) or a summary label (<c>Average:</c>,
/// <c>Summary:</c> for -F in sysstat 12, a translated word in other locales). A block is recognised by its
/// column names, not by its position, so versions that add, drop or reorder columns (sysstat 10's
/// <c>rd_sec/s</c>, 11's <c>avgqu-sz</c>, 12's <c>aqu-sz</c>, <c>-p</c> moving DEV last) and machines that
/// print no -F or EDEV section all parse. As the original, the summary blocks are used; a section with no
/// summary block falls back to its last timed block. Numbers with a decimal comma (non-C locales) are read
/// too, though the package runs sar with LC_ALL=C. Guarded by SarParserTests.
/// </remarks>
internal static class SarParser
{
    /// <summary>
    /// A time field, <c>H:MM</c>, <c>HH:MM</c> or either with <c>:SS</c> (what <c>^\d{1,2}:\d{2}(:\d{2})?$</c> matched).
    /// Read by hand, not with a regex: a package's assembly is scanned for transfer methods at load, which loads
    /// every type it has, and a generated regex's types are Regex's, so the whole regex library was mapped into
    /// the host even on the /proc path, where nothing parses sar (0.4 MiB; docs/benchmarks.md).
    /// </summary>
    internal static bool IsTime(string token)
    {
        // As the regex's $, which also matches before a final new line.
        var field = token.AsSpan();
        if (field.EndsWith('\n'))
        {
            field = field[..^1];
        }
        var hours = 0;
        while (hours < field.Length && hours < 3 && char.IsDigit(field[hours]))
        {
            hours++;
        }
        if (hours is 0 or 3)
        {
            return false;
        }
        var rest = field[hours..];
        return rest.Length is 3 or 6 && TwoDigitsAfterColon(rest) && (rest.Length == 3 || TwoDigitsAfterColon(rest[3..]));

        static bool TwoDigitsAfterColon(ReadOnlySpan<char> s) => s[0] == ':' && char.IsDigit(s[1]) && char.IsDigit(s[2]);
    }

    /// <summary>The <c>N</c> of the first <c>(N CPU)</c> in sar's first line (what <c>\((\d+) CPU\)</c> found), or null.</summary>
    internal static int? CpuCount(string header)
    {
        for (var open = header.IndexOf('(', StringComparison.Ordinal); open >= 0; open = header.IndexOf('(', open + 1))
        {
            var end = open + 1;
            while (end < header.Length && char.IsDigit(header[end]))
            {
                end++;
            }
            if (end > open + 1 && header.AsSpan(end).StartsWith(" CPU)", StringComparison.Ordinal))
            {
                return int.TryParse(header.AsSpan(open + 1, end - open - 1), NumberStyles.None, CultureInfo.InvariantCulture, out var n) ? n : null;
            }
        }
        return null;
    }

    /// <summary>Parses sar's output; sections it does not know are skipped. Never throws on odd text.</summary>
    public static ResourceReport Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        string? header = null;
        int? cpuCount = null;
        var summaries = new Dictionary<SarTableKind, SarTable>();
        var timed = new Dictionary<SarTableKind, SarTable>();

        var block = new List<string>();
        foreach (var raw in text.Replace("\r", "", StringComparison.Ordinal).Split('\n').Append(""))
        {
            if (raw.Trim().Length > 0)
            {
                block.Add(raw);
                continue;
            }
            if (block.Count == 0)
            {
                continue;
            }
            if (header is null && block[0].StartsWith("Linux", StringComparison.Ordinal))
            {
                header = block[0].Trim();
                cpuCount = CpuCount(header);
            }
            else if (ParseBlock(block) is { } parsed)
            {
                var (table, isSummary) = parsed;
                if (isSummary)
                {
                    summaries.TryAdd(table.Kind, table);
                }
                else
                {
                    timed[table.Kind] = table;
                }
            }
            block.Clear();
        }

        var tables = Enum.GetValues<SarTableKind>()
            .Select(k => summaries.TryGetValue(k, out var s) ? s : timed.GetValueOrDefault(k))
            .OfType<SarTable>()
            .ToList();
        return new ResourceReport("sar", header, cpuCount, tables);
    }

    private static (SarTable Table, bool IsSummary)? ParseBlock(List<string> lines)
    {
        var headerTokens = Tokens(lines[0]);
        var prefix = PrefixLength(headerTokens);
        if (prefix == 0 || headerTokens.Length <= prefix)
        {
            return null;
        }
        var isSummary = !IsTime(headerTokens[0]);
        var columns = headerTokens[prefix..];
        if (Classify(columns) is not { } kind)
        {
            return null;
        }

        var keyColumn = kind switch
        {
            SarTableKind.Cpu => "CPU",
            SarTableKind.Devices => "DEV",
            SarTableKind.InterfaceTraffic or SarTableKind.InterfaceErrors => "IFACE",
            SarTableKind.Filesystems => "FILESYSTEM",
            _ => null,
        };
        var keyIndex = keyColumn is null ? -1 : Array.IndexOf(columns, keyColumn);
        var valueColumns = columns.Where((_, i) => i != keyIndex).ToList();

        var rows = new List<SarRow>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var line in lines.Skip(1))
        {
            var tokens = Tokens(line);
            if (tokens.Length <= prefix)
            {
                continue;
            }
            var fields = tokens[prefix..];
            if (ParseRow(fields, keyIndex, columns.Length, valueColumns.Count) is { } row && seen.Add(row.Key))
            {
                rows.Add(row);
            }
        }
        return (new SarTable(kind, keyColumn, valueColumns, rows, BlockText(lines, prefix)), isSummary);
    }

    private static SarRow? ParseRow(string[] fields, int keyIndex, int columnCount, int valueCount)
    {
        string key;
        string[] values;
        if (keyIndex < 0)
        {
            if (fields.Length != columnCount)
            {
                return null;
            }
            key = "";
            values = fields;
        }
        else if (keyIndex == columnCount - 1)
        {
            // The key is last (FILESYSTEM, or DEV with -p): it may hold spaces, so it is the rest of the line.
            if (fields.Length < columnCount)
            {
                return null;
            }
            values = fields[..valueCount];
            key = string.Join(' ', fields[valueCount..]);
        }
        else
        {
            if (fields.Length != columnCount)
            {
                return null;
            }
            key = fields[keyIndex];
            values = fields.Where((_, i) => i != keyIndex).ToArray();
        }
        return new SarRow(key, values.Select(ParseNumber).ToList());
    }

    /// <summary>How many leading fields are the time or summary label: 0 when the line is no sar table line.</summary>
    private static int PrefixLength(string[] tokens)
    {
        if (tokens.Length == 0)
        {
            return 0;
        }
        if (IsTime(tokens[0]))
        {
            return tokens.Length > 1 && tokens[1] is "AM" or "PM" ? 2 : 1;
        }
        if (tokens[0].EndsWith(':') && tokens[0].Length > 1)
        {
            return 1;
        }
        // French: "Moyenne :"
        return tokens.Length > 1 && tokens[1] == ":" ? 2 : 0;
    }

    private static SarTableKind? Classify(string[] columns)
    {
        var first = columns[0];
        if (columns.Contains("%idle") && columns.Contains("CPU"))
        {
            return SarTableKind.Cpu;
        }
        if (first == "IFACE")
        {
            return columns.Contains("rxpck/s") ? SarTableKind.InterfaceTraffic
                : columns.Contains("rxerr/s") ? SarTableKind.InterfaceErrors
                : null;
        }
        if (columns[^1] == "FILESYSTEM")
        {
            return SarTableKind.Filesystems;
        }
        if (first == "DEV" || columns[^1] == "DEV")
        {
            return SarTableKind.Devices;
        }
        return first switch
        {
            "runq-sz" => SarTableKind.Load,
            "kbmemfree" => SarTableKind.Memory,
            "pswpin/s" => SarTableKind.Swapping,
            "pgpgin/s" => SarTableKind.Paging,
            _ => null,
        };
    }

    /// <summary>A number as sar prints it: <c>1.01</c>, or <c>1,01</c> in a decimal-comma locale.</summary>
    internal static decimal? ParseNumber(string field)
    {
        var s = field.Contains(',', StringComparison.Ordinal) && !field.Contains('.', StringComparison.Ordinal)
            ? field.Replace(',', '.')
            : field;
        return decimal.TryParse(s, NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var d)
            ? d
            : null;
    }

    /// <summary>The block's lines without the time/label fields, keeping sar's right alignment.</summary>
    private static string BlockText(List<string> lines, int prefix)
    {
        var rest = lines.Select(l => AfterFields(l, prefix)).ToList();
        var indent = rest.Where(r => r.Trim().Length > 0).Select(r => r.Length - r.TrimStart().Length).DefaultIfEmpty(0).Min();
        var sb = new StringBuilder();
        foreach (var r in rest)
        {
            sb.Append(r.Length >= indent ? r[indent..].TrimEnd() : r.Trim()).Append('\n');
        }
        return sb.ToString();
    }

    private static string AfterFields(string line, int fields)
    {
        var i = 0;
        for (var f = 0; f < fields; f++)
        {
            while (i < line.Length && char.IsWhiteSpace(line[i]))
            {
                i++;
            }
            while (i < line.Length && !char.IsWhiteSpace(line[i]))
            {
                i++;
            }
        }
        return line[i..];
    }

    private static string[] Tokens(string line) =>
        line.Split([' ', '\t'], StringSplitOptions.RemoveEmptyEntries);
}
