namespace Komlogd.Identification;

/// <summary>
/// The structure of a scanned text as a person reads it: tables (a header line over rows, columns lined up
/// by position in this very sample, so widths may change from one sample to the next), <c>key: value</c>
/// lines, and free lines; and for every number the context that describes it (<see cref="NumberContext"/>).
/// </summary>
internal sealed class TextLayout
{
    /// <summary>Share of a table's numbers that must sit under a header word for the header to be one.</summary>
    const double HeaderCover = 0.6;

    TextLayout(TextScan scan)
    {
        Scan = scan;
        LineTable = new int[scan.Lines.Count];
        Array.Fill(LineTable, -1);
        KeyValueLines = new bool[scan.Lines.Count];
        Columns = new int[scan.Numbers.Count];
        Array.Fill(Columns, -1);
    }

    public TextScan Scan { get; }

    public List<Table> Tables { get; } = [];

    /// <summary>Per line: the table it is a row of, or -1.</summary>
    public int[] LineTable { get; }

    /// <summary>Per line: a <c>key: value</c> line (one number after a key ending in ':' or '=').</summary>
    public bool[] KeyValueLines { get; }

    /// <summary>Per number: the index of its header word in its table's <see cref="Table.Columns"/>, or -1.</summary>
    public int[] Columns { get; }

    /// <summary>A header line and the rows under it.</summary>
    internal sealed class Table(int header, string[] signature, string[] columns, int[] columnTokens)
    {
        public int Header { get; } = header;

        /// <summary>The header's word keys: what identifies the table from one sample to the next.</summary>
        public string[] Signature { get; } = signature;

        /// <summary>Column keys, one per header word; a repeated word gets #2, #3 (/proc/net/dev's two 'bytes').</summary>
        public string[] Columns { get; } = columns;

        /// <summary>Token index of each column's header word.</summary>
        public int[] ColumnTokens { get; } = columnTokens;

        public List<int> Rows { get; } = [];
    }

    public static TextLayout Of(string text) => Of(TextScan.Of(text));

    public static TextLayout Of(TextScan scan)
    {
        var layout = new TextLayout(scan);
        layout.FindTables();
        return layout;
    }

    void FindTables()
    {
        var header = -1;
        var rows = new List<int>();
        for (var i = 0; i < Scan.Lines.Count; i++)
        {
            var line = Scan.Lines[i];
            if (line.TokenCount == 0)
            {
                Close(header, rows);
                header = -1;
            }
            else if (line.NumberCount == 0)
            {
                Close(header, rows);
                header = line.TokenCount >= 2 ? i : -1;
            }
            else if (IsKeyValue(i))
            {
                KeyValueLines[i] = true;
                Close(header, rows);
                header = -1;
            }
            else if (header >= 0)
            {
                rows.Add(i);
            }
        }
        Close(header, rows);
    }

    /// <summary>One number, 1 to 4 words before it, at most one after (a unit), and ':' or '=' between key and value.</summary>
    bool IsKeyValue(int line)
    {
        var l = Scan.Lines[line];
        if (l.NumberCount != 1)
        {
            return false;
        }
        var tokens = Scan.LineTokens(line);
        var at = 0;
        while (!tokens[at].IsNumber)
        {
            at++;
        }
        if (at is 0 or > 4 || tokens.Length - at - 1 > 1)
        {
            return false;
        }
        var between = Scan.Text.AsSpan(tokens[at - 1].End, tokens[at].Start - tokens[at - 1].End);
        return between.ContainsAny(':', '=');
    }

    void Close(int header, List<int> rows)
    {
        if (header < 0 || rows.Count == 0)
        {
            rows.Clear();
            return;
        }
        var headerTokens = Scan.LineTokens(header);
        var signature = new string[headerTokens.Length];
        var columns = new string[headerTokens.Length];
        var columnTokens = new int[headerTokens.Length];
        var seen = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var i = 0; i < headerTokens.Length; i++)
        {
            var key = headerTokens[i].Key;
            signature[i] = key;
            var n = seen[key] = seen.GetValueOrDefault(key) + 1;
            columns[i] = n == 1 ? key : $"{key}#{n}";
            columnTokens[i] = Scan.Lines[header].FirstToken + i;
        }
        var table = new Table(header, signature, columns, columnTokens);
        table.Rows.AddRange(rows);
        var assigned = new List<(int Number, int Column)>();
        int numbers = 0, covered = 0;
        var used = new HashSet<int>();
        foreach (var row in table.Rows)
        {
            foreach (var (number, column) in AlignRow(headerTokens, row))
            {
                numbers++;
                if (column >= 0)
                {
                    covered++;
                    used.Add(column);
                    assigned.Add((number, column));
                }
            }
        }
        rows.Clear();
        if (headerTokens.Length < 2 || used.Count == 0 || covered < HeaderCover * numbers)
        {
            return;
        }
        foreach (var (number, column) in assigned)
        {
            Columns[number] = column;
        }
        var index = Tables.Count;
        Tables.Add(table);
        foreach (var row in table.Rows)
        {
            LineTable[row] = index;
        }
    }

    /// <summary>
    /// The column of each number of a row: the header word its span overlaps most (numbers are right- or
    /// left-aligned under their header as printed in this sample); when that leaves a number without a
    /// column or two numbers in one, and the row has as many tokens as the header, token i is column i
    /// (vmstat's rows, whose wide values push the rest of the line right).
    /// </summary>
    List<(int Number, int Column)> AlignRow(ReadOnlySpan<Token> header, int row)
    {
        var tokens = Scan.LineTokens(row);
        var result = new List<(int, int)>();
        var consistent = true;
        var last = -1;
        foreach (var t in tokens)
        {
            if (!t.IsNumber)
            {
                continue;
            }
            int best = -1, bestOverlap = 0;
            for (var h = 0; h < header.Length; h++)
            {
                var overlap = Math.Min(t.ColumnEnd, header[h].ColumnEnd) - Math.Max(t.Column, header[h].Column);
                if (overlap > bestOverlap)
                {
                    best = h;
                    bestOverlap = overlap;
                }
            }
            consistent &= best > last;
            last = Math.Max(last, best);
            result.Add((t.Number, best));
        }
        if (consistent)
        {
            return result;
        }
        if (tokens.Length == header.Length)
        {
            result.Clear();
            for (var i = 0; i < tokens.Length; i++)
            {
                if (tokens[i].IsNumber)
                {
                    result.Add((tokens[i].Number, i));
                }
            }
            return result;
        }
        // Two numbers under one header word: neither is known to be that column.
        var counts = result.Where(r => r.Item2 >= 0).GroupBy(r => r.Item2).Where(g => g.Count() > 1).Select(g => g.Key).ToHashSet();
        return result.Select(r => counts.Contains(r.Item2) ? (r.Item1, -1) : r).ToList();
    }
}
