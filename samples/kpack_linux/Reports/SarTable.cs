namespace Kpack.Linux.Reports;

/// <summary>
/// One sar section: its columns as sar names them (<c>%user</c>, <c>rkB/s</c>), one row per key (a CPU, a
/// device, an interface, a filesystem; an empty key for one-row sections) and the section's text as published
/// in the datasource.
/// </summary>
/// <param name="Kind">Which section.</param>
/// <param name="KeyColumn">The key column's name (<c>CPU</c>, <c>DEV</c>, <c>IFACE</c>, <c>FILESYSTEM</c>), or null.</param>
/// <param name="Columns">The value columns, without the key column, in sar's order.</param>
/// <param name="Rows">The rows; each has one value per column (null where sar printed no number).</param>
/// <param name="Text">The section as text: sar's own lines without the time/Average label, or a rendering.</param>
internal sealed record SarTable(
    SarTableKind Kind,
    string? KeyColumn,
    IReadOnlyList<string> Columns,
    IReadOnlyList<SarRow> Rows,
    string Text)
{
    /// <summary>The value of <paramref name="column"/> in the first row (one-row sections), or null.</summary>
    public decimal? Single(string column) => Rows.Count == 0 ? null : Rows[0].Get(this, column);
}
