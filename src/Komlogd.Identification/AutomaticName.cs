namespace Komlogd.Identification;

/// <summary>
/// An automatic datapoint: its uri-safe <see cref="Name"/> (<c>dev_vda.Used</c>, <c>MemTotal</c>) and the raw
/// cell it reads: the row label and column header as written, in a table whose header words are <see cref="Table"/>
/// (empty for a <c>key: value</c> line, whose key is <see cref="Row"/> and <see cref="Column"/> empty).
/// </summary>
public sealed record AutomaticName(string Name, IReadOnlyList<string> Table, string Row, string Column);
