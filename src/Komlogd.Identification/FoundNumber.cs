namespace Komlogd.Identification;

/// <summary>
/// A number found in a text: where it is (UTF-16 indices into the .NET string, the sign included, the unit
/// not) and its value. <c>"Use 12.5%"</c> gives Position 4, Length 4, Value 12.5, Unit <c>%</c>.
/// </summary>
/// <param name="Position">Index of the number's first character (its sign, if it has one).</param>
/// <param name="Length">Characters of the number as written, thousands separators included, unit excluded.</param>
/// <param name="Value">The value as written: <c>1,234.5</c> is 1234.5, <c>96,76</c> in a comma-decimal text is 96.76, <c>4.0G</c> is 4.0 (units are not applied).</param>
/// <param name="Unit">What follows the number directly and was read as its unit (<c>%</c>, <c>kB</c>, <c>ms</c>, <c>Gi</c>), or empty.</param>
public readonly record struct FoundNumber(int Position, int Length, decimal Value, string Unit);
