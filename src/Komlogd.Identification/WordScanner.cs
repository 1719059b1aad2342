using System.Globalization;

namespace Komlogd.Identification;

/// <summary>
/// Classifies the words of a text's lines into numbers and word tokens. The rules, each in one place:
/// a number stands between separators (so <c>sda1</c>, <c>eth0</c>, <c>x86_64</c> hold none); a word with
/// digit-dash-digit is a date, range or name (<c>2024-01-15</c>, <c>0-1</c>); all-digit colon groups are a
/// time or duration (<c>12:30:01</c>, <c>4:05</c>) and hex colon groups an address; three integer slash
/// groups are a date (<c>12/01/26</c>) while other slash groups of numbers are several numbers
/// (<c>0.032/0.040/0.047</c>, <c>9/130</c>) and slash groups with a word are a name (<c>kworker/1</c>); two dots make a version or an address (<c>1.2.3</c>,
/// <c>10.0.0.1</c>); a zero-padded integer of four or more digits is a mask or an id
/// (<c>0000000001001006</c>); a day next to a month name is a date (<c>Jan 15</c>); what follows a number
/// directly must be a known unit (<c>%</c>, <c>kB</c>, <c>ms</c>, <c>Gi</c>) or the word is not a number.
/// </summary>
internal sealed class WordScanner(string text, bool decimalComma, List<FoundNumber> numbers, List<Token> tokens)
{
    static readonly HashSet<string> Units = new(StringComparer.Ordinal)
    {
        "%", "k", "K", "m", "M", "g", "G", "t", "T", "p", "P", "E", "b", "B",
        "Ki", "Mi", "Gi", "Ti", "Pi", "Ei", "kB", "KB", "MB", "GB", "TB", "PB", "KiB", "MiB", "GiB", "TiB", "PiB",
        "kb", "Kb", "Mb", "Gb", "bit", "bits",
        "ns", "us", "µs", "ms", "s", "sec", "min", "h", "d",
        "Hz", "kHz", "MHz", "GHz",
    };

    static readonly string[] Months = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"];

    readonly List<Piece> line = [];
    int lineNo;
    int lineStart;
    bool csv;

    readonly record struct Piece(int Start, int End, string? Key, decimal Value, int NumberLength, string Unit)
    {
        public bool IsNumber => Key is null;
    }

    public void StartLine(int no, int start, bool csvLine)
    {
        lineNo = no;
        lineStart = start;
        csv = csvLine;
        line.Clear();
    }

    /// <summary>Classifies the word <c>text[s..e)</c> (no hard separator inside) into pieces of the line.</summary>
    public void Scan(int s, int e)
    {
        while (e > s && text[e - 1] is '.' or ',' or ';' or ':' or '!' or '?')
        {
            e--;
        }
        if (e == s)
        {
            return;
        }
        var w = text.AsSpan(s, e - s);
        if (!w.ContainsAnyInRange('0', '9'))
        {
            Word(s, e);
            return;
        }
        if (HasDigitDashDigit(w))
        {
            Word(s, e, LooksLikeDate(w) ? WordKey.Date : null);
            return;
        }
        if (w.Contains(':'))
        {
            if (IsClock(w))
            {
                Word(s, e, WordKey.Time);
                return;
            }
            if (IsAddress(w))
            {
                Word(s, e);
                return;
            }
            Split(s, e, ':', Part);
        }
        else
        {
            Part(s, e);
        }
    }

    /// <summary>A colon-free part: slash groups, then comma groups. True when it held a number.</summary>
    bool Part(int s, int e)
    {
        var w = text.AsSpan(s, e - s);
        if (!w.ContainsAnyInRange('0', '9'))
        {
            Word(s, e);
            return false;
        }
        if (w.Contains('/'))
        {
            if (IsSlashDate(w))
            {
                Word(s, e, WordKey.Date);
                return false;
            }
            if (!AllNumbers(w, '/'))
            {
                Word(s, e); // kworker/1, /dev/sda1: a name with digits
                return false;
            }
            return Split(s, e, '/', Commas);
        }
        return Commas(s, e);
    }

    bool Commas(int s, int e)
    {
        if (!csv && Number(s, e))
        {
            return true;
        }
        if (text.AsSpan(s, e - s).Contains(','))
        {
            return Split(s, e, ',', (ps, pe) => Number(ps, pe) || WordFalse(ps, pe));
        }
        if (csv && Number(s, e))
        {
            return true;
        }
        Word(s, e);
        return false;
    }

    /// <summary>
    /// Scans the parts of <c>text[s..e)</c> between <paramref name="separator"/>s with <paramref name="part"/>;
    /// when no part held a number the word stays one token (<c>/dev/vda1</c>, <c>min/avg/max</c>).
    /// </summary>
    bool Split(int s, int e, char separator, Func<int, int, bool> part)
    {
        var mark = line.Count;
        var found = false;
        var ps = s;
        for (var i = s; i <= e; i++)
        {
            if (i == e || text[i] == separator)
            {
                if (i > ps)
                {
                    found |= part(ps, i);
                }
                ps = i + 1;
            }
        }
        if (!found)
        {
            line.RemoveRange(mark, line.Count - mark);
            Word(s, e);
        }
        return found;
    }

    bool WordFalse(int s, int e)
    {
        Word(s, e);
        return false;
    }

    /// <summary>Adds <c>text[s..e)</c> as a number when the whole of it is one (with a unit), else nothing.</summary>
    bool Number(int s, int e)
    {
        var w = text.AsSpan(s, e - s);
        if (!TryParse(w, decimalComma, out var length, out var value, out var unit))
        {
            return false;
        }
        line.Add(new Piece(s, e, null, value, length, unit));
        return true;
    }

    /// <summary>
    /// The number grammar: sign, integer digits with optional grouping (<c>,ddd</c>, or <c>.ddd</c> in a
    /// comma-decimal text), a fraction, an exponent, a unit. A second separator followed by digits
    /// (<c>1.2.3</c>, <c>12,5</c> in a dot text) fails, so the caller can split or give up.
    /// </summary>
    internal static bool TryParse(ReadOnlySpan<char> w, bool comma, out int length, out decimal value, out string unit)
    {
        length = 0;
        value = 0;
        unit = "";
        var point = comma ? ',' : '.';
        var group = comma ? '.' : ',';
        var i = 0;
        if (i < w.Length && w[i] is '+' or '-')
        {
            i++;
        }
        var intStart = i;
        while (i < w.Length && char.IsAsciiDigit(w[i]))
        {
            i++;
        }
        var intDigits = i - intStart;
        var grouped = false;
        while (intDigits is >= 1 and <= 3 && i + 3 < w.Length && w[i] == group && IsDigits(w, i + 1, 3) && (i + 4 == w.Length || !char.IsAsciiDigit(w[i + 4])))
        {
            grouped = true;
            i += 4;
        }
        var intEnd = i;
        if (grouped && comma && IsFourSmallGroups(w[intStart..i]))
        {
            return false; // 192.168.100.200 in a comma text is an address, not 192168100200
        }
        var fracDigits = 0;
        if (i + 1 < w.Length && (w[i] == point || (comma && !grouped && w[i] == '.')) && char.IsAsciiDigit(w[i + 1]))
        {
            i++;
            var fs = i;
            while (i < w.Length && char.IsAsciiDigit(w[i]))
            {
                i++;
            }
            fracDigits = i - fs;
        }
        if (intDigits == 0 && fracDigits == 0)
        {
            return false;
        }
        if (i + 1 < w.Length && w[i] is '.' or ',' && char.IsAsciiDigit(w[i + 1]))
        {
            return false;
        }
        if (i + 1 < w.Length && w[i] is 'e' or 'E')
        {
            var j = i + 1;
            if (w[j] is '+' or '-')
            {
                j++;
            }
            var es = j;
            while (j < w.Length && char.IsAsciiDigit(w[j]))
            {
                j++;
            }
            if (j > es && (j == w.Length || !char.IsAsciiLetter(w[j])))
            {
                i = j;
            }
        }
        if (intDigits >= 4 && w[intStart] == '0' && fracDigits == 0 && !grouped)
        {
            return false;
        }
        var rest = w[i..];
        if (rest.Length > 0)
        {
            var lookup = Units.GetAlternateLookup<ReadOnlySpan<char>>();
            if (!lookup.TryGetValue(rest, out var u))
            {
                return false;
            }
            unit = u;
        }
        length = i;
        Span<char> buffer = stackalloc char[Math.Min(i, 128)];
        if (i > buffer.Length)
        {
            return false;
        }
        var n = 0;
        for (var k = 0; k < i; k++)
        {
            var c = w[k];
            if (k < intEnd && c == group)
            {
                continue; // a group separator of the integer part
            }
            buffer[n++] = c == ',' ? '.' : c;
        }
        return decimal.TryParse(buffer[..n], NumberStyles.Float, CultureInfo.InvariantCulture, out value);
    }

    /// <summary>Every non-empty part between separators is a number (9/130, 0.032/0.040/0.047).</summary>
    bool AllNumbers(ReadOnlySpan<char> w, char separator)
    {
        foreach (var range in w.Split(separator))
        {
            var part = w[range];
            if (part.Length > 0 && !TryParse(part, decimalComma, out _, out _, out _))
            {
                return false;
            }
        }
        return true;
    }

    static bool IsDigits(ReadOnlySpan<char> w, int at, int count)
    {
        if (at + count > w.Length)
        {
            return false;
        }
        for (var i = at; i < at + count; i++)
        {
            if (!char.IsAsciiDigit(w[i]))
            {
                return false;
            }
        }
        return true;
    }

    static bool IsFourSmallGroups(ReadOnlySpan<char> w)
    {
        var groups = 0;
        foreach (var range in w.Split('.'))
        {
            if (!int.TryParse(w[range], NumberStyles.None, CultureInfo.InvariantCulture, out var v) || v > 255)
            {
                return false;
            }
            groups++;
        }
        return groups == 4;
    }

    static bool HasDigitDashDigit(ReadOnlySpan<char> w)
    {
        for (var i = 1; i + 1 < w.Length; i++)
        {
            if (w[i] == '-' && char.IsAsciiDigit(w[i - 1]) && char.IsAsciiDigit(w[i + 1]))
            {
                return true;
            }
        }
        return false;
    }

    static bool LooksLikeDate(ReadOnlySpan<char> w) => w.Length >= 8 && char.IsAsciiDigit(w[0]) && w.Count('-') >= 2;

    /// <summary>All groups digits (the last may have a fraction): 12:30:01, 4:05, 0:00.07, 123:45.</summary>
    static bool IsClock(ReadOnlySpan<char> w)
    {
        var groups = 0;
        foreach (var range in w.Split(':'))
        {
            var g = w[range];
            if (g.Length == 0)
            {
                return false;
            }
            foreach (var c in g)
            {
                if (!char.IsAsciiDigit(c) && c != '.')
                {
                    return false;
                }
            }
            groups++;
        }
        return groups >= 2;
    }

    /// <summary>Two or more colons and only hex groups: a MAC or IPv6 address (fe80::1, 00:1a:2b:3c:4d:5e).</summary>
    static bool IsAddress(ReadOnlySpan<char> w)
    {
        if (w.Count(':') < 2)
        {
            return false;
        }
        foreach (var c in w)
        {
            if (c != ':' && c != '.' && !char.IsAsciiHexDigit(c))
            {
                return false;
            }
        }
        return true;
    }

    static bool IsSlashDate(ReadOnlySpan<char> w)
    {
        var groups = 0;
        foreach (var range in w.Split('/'))
        {
            var g = w[range];
            if (g.Length == 0 || g.Length > 4)
            {
                return false;
            }
            foreach (var c in g)
            {
                if (!char.IsAsciiDigit(c))
                {
                    return false;
                }
            }
            groups++;
        }
        return groups == 3;
    }

    void Word(int s, int e, string? key = null)
    {
        var w = text.AsSpan(s, e - s);
        if (key is null && IsClock(w))
        {
            key = WordKey.Time;
        }
        line.Add(new Piece(s, e, key ?? WordKey.Of(w), 0, 0, ""));
    }

    /// <summary>Applies the rules that need neighbours (a day beside a month name), then commits the line's pieces.</summary>
    public void EndLine()
    {
        for (var i = 0; i < line.Count; i++)
        {
            var p = line[i];
            if (p.IsNumber && p.Unit.Length == 0 && p.Value is >= 1 and <= 31 && decimal.IsInteger(p.Value)
                && ((i > 0 && IsMonth(line[i - 1])) || (i + 1 < line.Count && IsMonth(line[i + 1]))))
            {
                line[i] = p with { Key = WordKey.Date };
            }
        }
        var pos = lineStart;
        var col = 0;
        foreach (var p in line)
        {
            var start = Advance(ref pos, ref col, p.Start);
            var end = Advance(ref pos, ref col, p.End);
            if (p.IsNumber)
            {
                numbers.Add(new FoundNumber(p.Start, p.NumberLength, p.Value, p.Unit));
                tokens.Add(new Token(p.Start, p.End, lineNo, start, end, "", numbers.Count - 1));
            }
            else
            {
                tokens.Add(new Token(p.Start, p.End, lineNo, start, end, p.Key!, -1));
            }
        }
    }

    bool IsMonth(Piece p)
    {
        if (p.IsNumber || p.End - p.Start < 3)
        {
            return false;
        }
        var w = text.AsSpan(p.Start, 3);
        foreach (var m in Months)
        {
            if (w.Equals(m, StringComparison.OrdinalIgnoreCase))
            {
                var rest = text.AsSpan(p.Start + 3, p.End - p.Start - 3);
                return rest.Length == 0 || IsMonthTail(m, rest);
            }
        }
        return false;
    }

    static bool IsMonthTail(string month, ReadOnlySpan<char> rest)
    {
        string[] full = ["january", "february", "march", "april", "may", "june", "july", "august", "september", "october", "november", "december"];
        var name = full[Array.IndexOf(Months, month)];
        return rest.Equals(name.AsSpan(3), StringComparison.OrdinalIgnoreCase);
    }

    /// <summary>Moves the visual-column cursor to <paramref name="to"/>; tabs stop every 8 columns.</summary>
    int Advance(ref int pos, ref int col, int to)
    {
        for (; pos < to; pos++)
        {
            col = text[pos] == '\t' ? (col / 8 + 1) * 8 : col + 1;
        }
        return col;
    }
}
