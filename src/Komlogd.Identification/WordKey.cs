namespace Komlogd.Identification;

/// <summary>
/// The comparison key of a word: what stays the same when a sample is taken again. Trailing punctuation
/// goes (<c>MemTotal:</c> and <c>MemTotal</c> are one key), times and dates become a class
/// (<c>22:47:09</c> and <c>4:05,</c> are both <c>&lt;time&gt;</c>), and a plural s goes (<c>1 user</c>,
/// <c>2 users</c>), so a neighbour word still matches when the count changes.
/// </summary>
internal static class WordKey
{
    public const string Time = "<time>";
    public const string Date = "<date>";

    public static string Of(ReadOnlySpan<char> word)
    {
        if (word.Length >= 4 && word[^1] == 's' && word[^2] != 's' && IsLetters(word))
        {
            word = word[..^1];
        }
        return word.ToString();
    }

    static bool IsLetters(ReadOnlySpan<char> word)
    {
        foreach (var c in word)
        {
            if (!char.IsAsciiLetter(c))
            {
                return false;
            }
        }
        return true;
    }
}
