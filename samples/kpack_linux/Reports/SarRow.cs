namespace Kpack.Linux.Reports;

/// <summary>One row of a <see cref="SarTable"/>.</summary>
/// <param name="Key">The device, interface, CPU or filesystem; empty in one-row sections.</param>
/// <param name="Values">One value per column of the table; null where sar printed something else than a number.</param>
internal sealed record SarRow(string Key, IReadOnlyList<decimal?> Values)
{
    /// <summary>The value of <paramref name="column"/> (a sar column name such as <c>%util</c>), or null.</summary>
    public decimal? Get(SarTable table, string column)
    {
        var i = IndexOf(table.Columns, column);
        return i < 0 || i >= Values.Count ? null : Values[i];
    }

    private static int IndexOf(IReadOnlyList<string> columns, string column)
    {
        for (var i = 0; i < columns.Count; i++)
        {
            if (string.Equals(columns[i], column, StringComparison.Ordinal))
            {
                return i;
            }
        }
        return -1;
    }
}
