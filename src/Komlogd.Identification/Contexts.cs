namespace Komlogd.Identification;

/// <summary>Builds the <see cref="NumberContext"/> of every number of a laid-out text, sharing each line's word list.</summary>
internal static class Contexts
{
    public static NumberContext[] Of(TextLayout layout)
    {
        var scan = layout.Scan;
        var result = new NumberContext[scan.Numbers.Count];
        var rowIndexes = new Dictionary<int, int>();
        foreach (var table in layout.Tables)
        {
            for (var r = 0; r < table.Rows.Count; r++)
            {
                rowIndexes[table.Rows[r]] = r;
            }
        }
        for (var line = 0; line < scan.Lines.Count; line++)
        {
            if (scan.Lines[line].NumberCount == 0)
            {
                continue;
            }
            var tokens = scan.LineTokens(line);
            var row = RowWords(tokens);
            var label = LabelWords(tokens);
            var tableIndex = layout.LineTable[line];
            var table = tableIndex >= 0 ? layout.Tables[tableIndex] : null;
            var rowIndex = table is null ? -1 : rowIndexes[line];
            var count = scan.Lines[line].NumberCount;
            var ordinal = 0;
            for (var i = 0; i < tokens.Length; i++)
            {
                var t = tokens[i];
                if (!t.IsNumber)
                {
                    continue;
                }
                var (left, leftGap) = Neighbour(tokens, i, -1);
                var (right, rightGap) = Neighbour(tokens, i, +1);
                var column = layout.Columns[t.Number];
                result[t.Number] = new NumberContext
                {
                    Table = table?.Signature ?? [],
                    Column = table is not null && column >= 0 ? table.Columns[column] : null,
                    Row = row,
                    Label = label,
                    RowIndex = rowIndex,
                    Left = left,
                    LeftGap = leftGap,
                    Right = right,
                    RightGap = rightGap,
                    Ordinal = ordinal++,
                    Count = count,
                    Unit = scan.Numbers[t.Number].Unit,
                };
            }
        }
        return result;
    }

    static string[] RowWords(ReadOnlySpan<Token> tokens)
    {
        var words = new List<string>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var t in tokens)
        {
            if (!t.IsNumber && seen.Add(t.Key))
            {
                words.Add(t.Key);
            }
        }
        return [.. words];
    }

    static string[] LabelWords(ReadOnlySpan<Token> tokens)
    {
        var words = new List<string>();
        foreach (var t in tokens)
        {
            if (t.IsNumber)
            {
                break;
            }
            if (t.Key is not (WordKey.Time or WordKey.Date))
            {
                words.Add(t.Key);
            }
        }
        return [.. words];
    }

    static (string? Word, int Gap) Neighbour(ReadOnlySpan<Token> tokens, int at, int step)
    {
        var gap = 0;
        for (var i = at + step; i >= 0 && i < tokens.Length; i += step)
        {
            if (!tokens[i].IsNumber)
            {
                return (tokens[i].Key, gap);
            }
            gap++;
        }
        return (null, gap);
    }
}
