namespace Komlogd.Identification;

/// <summary>
/// Finds the numbers of a text: integers, decimals, signs, thousands separators, comma decimals (decided per
/// text by a majority of its unambiguous numbers), percentages and units, values in <c>key: value</c>,
/// <c>a=b</c>, CSV and JSON; not the digits of identifiers, versions, addresses, dates, times or durations.
/// Linear in the text's length; stateless and thread-safe.
/// </summary>
/// <example><code>
/// NumberFinder.Find("/dev/sda1  1,024  12.5%  up 4:05")
/// // [ (11, 5, 1024, ""), (18, 4, 12.5, "%") ]   sda1's 1 is a name, 4:05 a duration
/// </code></example>
public static class NumberFinder
{
    /// <summary>The numbers of <paramref name="text"/>, in text order; empty for an empty text.</summary>
    public static IReadOnlyList<FoundNumber> Find(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        return TextScan.Of(text).Numbers;
    }
}
