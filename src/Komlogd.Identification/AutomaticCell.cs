namespace Komlogd.Identification;

/// <summary>A cell automatic detection found in one sample: the raw row label and column of a number.</summary>
/// <param name="Table">The header words of its table, or empty for a <c>key: value</c> line.</param>
/// <param name="Row">The row label as written (words joined by one space), or the key.</param>
/// <param name="Column">The column header as written (<c>#2</c> added for a repeated header word), or empty.</param>
/// <param name="Number">Index of the number in the sample's found numbers.</param>
/// <param name="Name">The uri-safe name before collisions are resolved.</param>
internal readonly record struct AutomaticCell(IReadOnlyList<string> Table, string Row, string Column, int Number, string Name);
