namespace Komlogd.Identification;

/// <summary>
/// One token of a scanned text: a number (<see cref="Number"/> ≥ 0, its index in the found numbers) or a
/// word. Columns are visual (tabs expanded to 8) so that table columns line up as a person sees them.
/// </summary>
/// <param name="Start">Index of the first character in the text.</param>
/// <param name="End">Index after the last character (a number's unit included, a word's trailing punctuation not).</param>
/// <param name="Line">0-based line of the text.</param>
/// <param name="Column">Visual column of <paramref name="Start"/> in its line.</param>
/// <param name="ColumnEnd">Visual column of <paramref name="End"/>.</param>
/// <param name="Key">A word's comparison key (<see cref="WordKey"/>); empty for numbers.</param>
/// <param name="Number">Index into the found numbers, or -1 for a word.</param>
internal readonly record struct Token(int Start, int End, int Line, int Column, int ColumnEnd, string Key, int Number)
{
    public bool IsNumber => Number >= 0;
}
