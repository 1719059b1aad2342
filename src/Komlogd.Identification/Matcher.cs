namespace Komlogd.Identification;

/// <summary>
/// Finds a named value in one sample by comparing every number's context with the contexts the user named
/// (positives) and marked wrong (negatives). The rules, precision first:
/// <list type="number">
/// <item>A gate that must hold: in a table, the same column header (in a table whose header is alike
/// (<see cref="HeaderSimilarity"/> at least one half)); outside one, the word the number is attached to (the word right after it, as in
/// <c>2 users</c>, <c>86 total</c>, <c>12 kB</c>; else the word before it at the same distance, as in
/// <c>load average: a, b, c</c>; else, on a line without words, the same place among as many numbers).</item>
/// <item>The same row: the words of the number's line, weighted by rarity among the lines of its table (a
/// word on every row, like <c>tmpfs</c> or <c>root</c>, counts little), must have a cosine of at least
/// <see cref="RowThreshold"/> with the named row's words; a row without words must be the same row of its
/// table (vmstat's first line).</item>
/// <item>The same label: the words before the line's first number may differ by a substitution
/// (<c>MiB Mem</c>, <c>GiB Mem</c>) but neither may hold the other and more (<c>Average: all</c> is not
/// <c>Average: 0</c>, whose identity is in a number the words cannot see).</item>
/// <item>The score adds small bonuses for the same neighbours, place and unit. The best number wins if it
/// beats the next by <see cref="Margin"/>; a tie is Ambiguous; no candidate is Missing. A number that
/// scores as well against a negative as against the positives is not a candidate.</item>
/// </list>
/// </summary>
internal sealed class Matcher
{
    public const double RowThreshold = 0.5;
    public const double Margin = 0.05;
    const double TableThreshold = 0.5;

    readonly TextLayout layout;
    readonly int[] numberLine;
    readonly Dictionary<int, Dictionary<string, int>> blockCounts = [];
    readonly HeaderMemo headers = new();

    public Matcher(TextLayout layout)
    {
        this.layout = layout;
        Contexts = Identification.Contexts.Of(layout);
        numberLine = new int[layout.Scan.Numbers.Count];
        foreach (var t in layout.Scan.Tokens)
        {
            if (t.IsNumber)
            {
                numberLine[t.Number] = t.Line;
            }
        }
    }

    public NumberContext[] Contexts { get; }

    /// <summary>Header comparisons of this sample, shared with automatic extraction.</summary>
    public HeaderMemo Headers => headers;

    /// <summary>The one number that is <paramref name="value"/> in this sample, or why there is none.</summary>
    public Extraction Extract(NamedValue value)
    {
        var rowCache = new Dictionary<(int Line, NumberContext Example), double>(LineAndExample.Instance);
        var candidates = new List<(int Number, double Score)>();
        for (var n = 0; n < Contexts.Length; n++)
        {
            var positive = Best(n, value.Positives, rowCache);
            if (positive is not { } score)
            {
                continue;
            }
            if (Best(n, value.Negatives, rowCache) is { } negative && negative >= score)
            {
                continue;
            }
            candidates.Add((n, score));
        }
        if (candidates.Count == 0)
        {
            return Extraction.Missing(value.Name, automatic: false);
        }
        candidates.Sort((a, b) => b.Score.CompareTo(a.Score));
        if (candidates.Count > 1 && candidates[0].Score - candidates[1].Score < Margin)
        {
            return Extraction.Ambiguous(value.Name, automatic: false);
        }
        return Extraction.Found(value.Name, layout.Scan.Numbers[candidates[0].Number], automatic: false);
    }

    double? Best(int n, IReadOnlyList<NumberContext> examples, Dictionary<(int, NumberContext), double> rowCache)
    {
        double? best = null;
        foreach (var example in examples)
        {
            if (Score(n, example, rowCache) is { } s && (best is null || s > best))
            {
                best = s;
            }
        }
        return best;
    }

    double? Score(int n, NumberContext example, Dictionary<(int, NumberContext), double> rowCache)
    {
        var c = Contexts[n];
        if (example.Column is not null)
        {
            if (c.Column != example.Column || Headers.Of(c.Table, example.Table) < TableThreshold)
            {
                return null;
            }
        }
        else if (!AttachedWordMatches(c, example))
        {
            return null;
        }
        if (StrictSubset(c.Label, example.Label) || StrictSubset(example.Label, c.Label))
        {
            return null;
        }
        double row;
        if (example.Row.Count > 0)
        {
            var line = numberLine[n];
            if (!rowCache.TryGetValue((line, example), out row))
            {
                row = rowCache[(line, example)] = RowSimilarity(line, c.Row, example.Row);
            }
            if (row < RowThreshold)
            {
                return null;
            }
        }
        else
        {
            if (c.Row.Count > 0 || c.RowIndex != example.RowIndex)
            {
                return null;
            }
            row = 1;
        }
        return row
            + (c.Left == example.Left && c.LeftGap == example.LeftGap ? 0.1 : 0)
            + (c.Right == example.Right && c.RightGap == example.RightGap ? 0.1 : 0)
            + (c.Ordinal == example.Ordinal ? 0.1 : 0)
            + (c.Unit == example.Unit ? 0.05 : 0);
    }

    static bool AttachedWordMatches(NumberContext c, NumberContext example)
    {
        if (example.Right is not null && example.RightGap == 0)
        {
            return c.Right == example.Right && c.RightGap == 0;
        }
        if (example.Left is not null)
        {
            return c.Left == example.Left && c.LeftGap == example.LeftGap;
        }
        if (example.Right is not null)
        {
            return c.Right == example.Right && c.RightGap == example.RightGap;
        }
        return c.Left is null && c.Right is null && c.Ordinal == example.Ordinal && c.Count == example.Count;
    }

    /// <summary>Cosine of the two word sets, each word weighted 1/(lines of the block holding it).</summary>
    double RowSimilarity(int line, IReadOnlyList<string> row, IReadOnlyList<string> example)
    {
        var counts = BlockCounts(layout.LineTable[line]);
        double dot = 0, a = 0, b = 0;
        foreach (var w in row)
        {
            var weight = Weight(counts, w);
            a += weight * weight;
        }
        foreach (var w in example)
        {
            var weight = Weight(counts, w);
            b += weight * weight;
            if (Contains(row, w))
            {
                dot += weight * weight;
            }
        }
        return a == 0 || b == 0 ? 0 : dot / Math.Sqrt(a * b);
    }

    static bool StrictSubset(IReadOnlyList<string> a, IReadOnlyList<string> b)
    {
        if (a.Count >= b.Count)
        {
            return false;
        }
        foreach (var w in a)
        {
            if (!Contains(b, w))
            {
                return false;
            }
        }
        return true;
    }

    static bool Contains(IReadOnlyList<string> words, string w) => IndexOf(words, w) >= 0;

    static double Weight(Dictionary<string, int> counts, string word) => counts.TryGetValue(word, out var n) ? 1.0 / n : 1.0;

    /// <summary>Per block (a table's rows, or every line outside tables), how many lines hold each word.</summary>
    Dictionary<string, int> BlockCounts(int block)
    {
        if (blockCounts.TryGetValue(block, out var counts))
        {
            return counts;
        }
        counts = new Dictionary<string, int>(StringComparer.Ordinal);
        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (var line = 0; line < layout.Scan.Lines.Count; line++)
        {
            if (layout.LineTable[line] != block || layout.Scan.Lines[line].NumberCount == 0)
            {
                continue;
            }
            seen.Clear();
            foreach (var t in layout.Scan.LineTokens(line))
            {
                if (!t.IsNumber && seen.Add(t.Key))
                {
                    counts[t.Key] = counts.GetValueOrDefault(t.Key) + 1;
                }
            }
        }
        blockCounts[block] = counts;
        return counts;
    }

    /// <summary>Keys of the row cache: a line and an example, the example by reference (a record hashes every field).</summary>
    sealed class LineAndExample : IEqualityComparer<(int Line, NumberContext Example)>
    {
        public static readonly LineAndExample Instance = new();

        public bool Equals((int Line, NumberContext Example) x, (int Line, NumberContext Example) y) => x.Line == y.Line && ReferenceEquals(x.Example, y.Example);

        public int GetHashCode((int Line, NumberContext Example) obj) => HashCode.Combine(obj.Line, System.Runtime.CompilerServices.RuntimeHelpers.GetHashCode(obj.Example));
    }

    /// <summary>
    /// How alike two header lines are: shared words / words of the shorter (both empty: 1). A header that
    /// gained or lost columns (<c>sar -u</c> and <c>sar -u ALL</c>: 6 of 8 words shared) is still the same table.
    /// </summary>
    public static double HeaderSimilarity(IReadOnlyList<string> a, IReadOnlyList<string> b)
    {
        if (a.Count == 0 || b.Count == 0)
        {
            return a.Count == b.Count ? 1 : 0;
        }
        if (a.Count > 32 || b.Count > 32)
        {
            var sa = new HashSet<string>(a, StringComparer.Ordinal);
            var sb = new HashSet<string>(b, StringComparer.Ordinal);
            return (double)sa.Count(sb.Contains) / Math.Min(sa.Count, sb.Count);
        }
        // Headers are short: compare word by word without allocating (this runs for every automatic name).
        int distinctA = 0, distinctB = 0, shared = 0;
        for (var i = 0; i < a.Count; i++)
        {
            if (IndexOf(a, a[i]) == i)
            {
                distinctA++;
                shared += IndexOf(b, a[i]) >= 0 ? 1 : 0;
            }
        }
        for (var i = 0; i < b.Count; i++)
        {
            distinctB += IndexOf(b, b[i]) == i ? 1 : 0;
        }
        return (double)shared / Math.Min(distinctA, distinctB);
    }

    static int IndexOf(IReadOnlyList<string> words, string w)
    {
        for (var i = 0; i < words.Count; i++)
        {
            if (words[i] == w)
            {
                return i;
            }
        }
        return -1;
    }
}
