using System.Text;

namespace Komlogd.Core.Installation;

/// <summary>
/// Splits a string into words the way a POSIX shell does (whitespace, '…', "…", backslash), and does
/// nothing else: no variables, no globbing, no command substitution, no operators. The words are never
/// given to a shell, so <c>; touch x</c> and <c>$(touch x)</c> are just words (tests: InjectionTests).
/// </summary>
internal static class ShellWords
{
    public static IReadOnlyList<string> Split(string text)
    {
        var words = new List<string>();
        var word = new StringBuilder();
        var inWord = false;
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            switch (c)
            {
                case ' ' or '\t' or '\n' or '\r':
                    if (inWord)
                    {
                        words.Add(word.ToString());
                        word.Clear();
                        inWord = false;
                    }
                    break;
                case '\'':
                    inWord = true;
                    var close = text.IndexOf('\'', i + 1);
                    if (close < 0)
                    {
                        throw new InstallException("unterminated ' quote");
                    }
                    word.Append(text, i + 1, close - i - 1);
                    i = close;
                    break;
                case '"':
                    inWord = true;
                    for (i++; ; i++)
                    {
                        if (i >= text.Length)
                        {
                            throw new InstallException("unterminated \" quote");
                        }
                        if (text[i] == '"')
                        {
                            break;
                        }
                        // Inside "…" a backslash escapes only these, as in sh.
                        if (text[i] == '\\' && i + 1 < text.Length && text[i + 1] is '"' or '\\' or '$' or '`')
                        {
                            i++;
                        }
                        word.Append(text[i]);
                    }
                    break;
                case '\\':
                    inWord = true;
                    if (i + 1 >= text.Length)
                    {
                        throw new InstallException("a trailing \\ escapes nothing");
                    }
                    word.Append(text[++i]);
                    break;
                default:
                    inWord = true;
                    word.Append(c);
                    break;
            }
        }
        if (inWord)
        {
            words.Add(word.ToString());
        }
        return words;
    }
}
