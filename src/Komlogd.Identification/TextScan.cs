namespace Komlogd.Identification;

/// <summary>
/// A text cut into lines and tokens, with the numbers found in it. Built in one linear pass to find the
/// words and vote on the decimal separator, and one to classify them (<see cref="WordScanner"/>): no
/// regular expressions, so no backtracking, and every character is looked at a bounded number of times.
/// </summary>
internal sealed class TextScan
{
    TextScan(string text, List<FoundNumber> numbers, List<Token> tokens, List<TextLine> lines, bool decimalComma)
    {
        Text = text;
        Numbers = numbers;
        Tokens = tokens;
        Lines = lines;
        DecimalComma = decimalComma;
    }

    public string Text { get; }

    public List<FoundNumber> Numbers { get; }

    /// <summary>Every token in text order; each line's are contiguous.</summary>
    public List<Token> Tokens { get; }

    public List<TextLine> Lines { get; }

    /// <summary>The text writes decimals with a comma (<c>96,76</c>): decided by a majority of its unambiguous numbers.</summary>
    public bool DecimalComma { get; }

    public ReadOnlySpan<Token> LineTokens(int line)
    {
        var l = Lines[line];
        return System.Runtime.InteropServices.CollectionsMarshal.AsSpan(Tokens).Slice(l.FirstToken, l.TokenCount);
    }

    public static TextScan Of(string text)
    {
        var lines = SplitLines(text);
        var words = new List<(int Start, int End)>[lines.Count];
        var csv = new bool[lines.Count];
        var votes = 0;
        for (var i = 0; i < lines.Count; i++)
        {
            words[i] = Words(text, lines[i].Start, lines[i].End);
            foreach (var (s, e) in words[i])
            {
                votes += DecimalVote(text.AsSpan(s, e - s));
            }
        }
        MarkCsvLines(text, lines, csv);
        var numbers = new List<FoundNumber>();
        var tokens = new List<Token>();
        var scanned = new List<TextLine>(lines.Count);
        var scanner = new WordScanner(text, votes > 0, numbers, tokens);
        for (var i = 0; i < lines.Count; i++)
        {
            var first = tokens.Count;
            var before = numbers.Count;
            scanner.StartLine(i, lines[i].Start, csv[i]);
            foreach (var (s, e) in words[i])
            {
                scanner.Scan(s, e);
            }
            scanner.EndLine();
            scanned.Add(new TextLine(lines[i].Start, lines[i].End, first, tokens.Count - first, numbers.Count - before));
        }
        return new TextScan(text, numbers, tokens, scanned, votes > 0);
    }

    static List<(int Start, int End)> SplitLines(string text)
    {
        var lines = new List<(int, int)>();
        var start = 0;
        for (var i = 0; i < text.Length; i++)
        {
            if (text[i] is '\n' or '\r')
            {
                lines.Add((start, i));
                if (text[i] == '\r' && i + 1 < text.Length && text[i + 1] == '\n')
                {
                    i++;
                }
                start = i + 1;
            }
        }
        if (start < text.Length)
        {
            lines.Add((start, text.Length));
        }
        return lines;
    }

    /// <summary>Characters that always end a word: a number never spans them (<c>a=12</c>, <c>(2 CPU)</c>, <c>"x":3</c>).</summary>
    public static bool IsHardSeparator(char c) => char.IsWhiteSpace(c) || c is '=' or ';' or '|' or '(' or ')' or '[' or ']' or '{' or '}' or '"' or '\'' or '<' or '>' or '`';

    static List<(int, int)> Words(string text, int start, int end)
    {
        var words = new List<(int, int)>();
        var s = -1;
        for (var i = start; i < end; i++)
        {
            if (IsHardSeparator(text[i]))
            {
                if (s >= 0)
                {
                    words.Add((s, i));
                    s = -1;
                }
            }
            else if (s < 0)
            {
                s = i;
            }
        }
        if (s >= 0)
        {
            words.Add((s, end));
        }
        return words;
    }

    /// <summary>
    /// +1 for a comma decimal, -1 for a dot decimal, 0 when the word cannot tell: <c>12,5</c> and
    /// <c>1.234,5</c> are commas; <c>12.5</c> and <c>1,234.5</c> are dots; <c>1,234</c>, <c>1.234</c> and a
    /// list like <c>1,2,3</c> say nothing.
    /// </summary>
    static int DecimalVote(ReadOnlySpan<char> w)
    {
        int commas = 0, dots = 0, lastComma = -1, lastDot = -1;
        for (var i = 0; i < w.Length; i++)
        {
            if (w[i] == ',' && i > 0 && char.IsAsciiDigit(w[i - 1]) && i + 1 < w.Length && char.IsAsciiDigit(w[i + 1]))
            {
                commas++;
                lastComma = i;
            }
            else if (w[i] == '.' && i > 0 && char.IsAsciiDigit(w[i - 1]) && i + 1 < w.Length && char.IsAsciiDigit(w[i + 1]))
            {
                dots++;
                lastDot = i;
            }
        }
        if (commas == 1 && dots == 0)
        {
            return DigitsAfter(w, lastComma) == 3 ? 0 : 1;
        }
        if (dots == 1 && commas == 0)
        {
            return DigitsAfter(w, lastDot) == 3 ? 0 : -1;
        }
        if (commas >= 1 && dots >= 1)
        {
            // Whichever comes last is the decimal separator: 1,234.5 (dot) or 1.234,5 (comma).
            return lastComma > lastDot ? 1 : -1;
        }
        return 0;
    }

    static int DigitsAfter(ReadOnlySpan<char> w, int i)
    {
        var n = 0;
        for (var j = i + 1; j < w.Length && char.IsAsciiDigit(w[j]); j++)
        {
            n++;
        }
        return n;
    }

    /// <summary>
    /// A line is CSV when it has a comma, no blank outside quotes, and it or another such line with the same
    /// number of fields has a field with a letter (a header): there every comma separates fields, so
    /// <c>12,200,300</c> under <c>time,used,free</c> is three numbers, while <c>1,234,567</c> alone is one.
    /// </summary>
    static void MarkCsvLines(string text, List<(int Start, int End)> lines, bool[] csv)
    {
        var lettered = new HashSet<int>();
        var fields = new int[lines.Count];
        var hasLetter = new bool[lines.Count];
        for (var i = 0; i < lines.Count; i++)
        {
            var (s, e) = lines[i];
            while (s < e && char.IsWhiteSpace(text[s]))
            {
                s++;
            }
            while (e > s && char.IsWhiteSpace(text[e - 1]))
            {
                e--;
            }
            int commas = 0;
            var quoted = false;
            var blank = false;
            var letter = false;
            for (var j = s; j < e && !blank; j++)
            {
                var c = text[j];
                if (c == '"')
                {
                    quoted = !quoted;
                }
                else if (!quoted && char.IsWhiteSpace(c))
                {
                    blank = true;
                }
                else if (!quoted && c == ',')
                {
                    commas++;
                }
                else if (char.IsLetter(c))
                {
                    letter = true;
                }
            }
            if (blank || commas == 0)
            {
                continue;
            }
            fields[i] = commas + 1;
            hasLetter[i] = letter;
            if (letter)
            {
                lettered.Add(commas + 1);
            }
        }
        for (var i = 0; i < lines.Count; i++)
        {
            csv[i] = fields[i] > 0 && (hasLetter[i] || lettered.Contains(fields[i]));
        }
    }
}
