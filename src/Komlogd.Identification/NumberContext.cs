namespace Komlogd.Identification;

/// <summary>
/// What describes one number of one sample, stored when a user names it (or marks it wrong) and compared
/// with the numbers of later samples. Words are comparison keys (<c>MemTotal</c>, <c>&lt;time&gt;</c>, plural
/// s dropped). Plain data, serialized as part of <see cref="ModelState"/>.
/// </summary>
public sealed record NumberContext
{
    /// <summary>The words of the header line of the number's table; empty outside a table.</summary>
    public IReadOnlyList<string> Table { get; init; } = [];

    /// <summary>The header word above the number (<c>Used</c>, <c>%idle</c>), or null when it has none.</summary>
    public string? Column { get; init; }

    /// <summary>The distinct words of the number's line, in order: its row label, its key, its units.</summary>
    public IReadOnlyList<string> Row { get; init; } = [];

    /// <summary>The words of the line before its first number, times and dates left out: the row's label or key.</summary>
    public IReadOnlyList<string> Label { get; init; } = [];

    /// <summary>The line's place among its table's rows (0 first), -1 outside a table; used only for rows without words.</summary>
    public int RowIndex { get; init; } = -1;

    /// <summary>The nearest word before the number on its line (<c>MemTotal</c>, <c>average</c>), or null.</summary>
    public string? Left { get; init; }

    /// <summary>How many numbers stand between <see cref="Left"/> and this one (load average's third value: 2).</summary>
    public int LeftGap { get; init; }

    /// <summary>The nearest word after the number on its line (<c>total</c>, <c>kB</c>), or null.</summary>
    public string? Right { get; init; }

    /// <summary>How many numbers stand between this one and <see cref="Right"/>.</summary>
    public int RightGap { get; init; }

    /// <summary>The number's place among its line's numbers (0 first).</summary>
    public int Ordinal { get; init; }

    /// <summary>How many numbers its line has.</summary>
    public int Count { get; init; }

    /// <summary>The number's unit as written (<c>%</c>, <c>kB</c>), or empty.</summary>
    public string Unit { get; init; } = "";

    /// <summary>Same features, word for word (record equality compares the lists by reference).</summary>
    public bool SameAs(NumberContext other) =>
        Column == other.Column && RowIndex == other.RowIndex && Left == other.Left && LeftGap == other.LeftGap
        && Right == other.Right && RightGap == other.RightGap && Ordinal == other.Ordinal && Count == other.Count
        && Unit == other.Unit && Table.SequenceEqual(other.Table) && Row.SequenceEqual(other.Row) && Label.SequenceEqual(other.Label);
}
