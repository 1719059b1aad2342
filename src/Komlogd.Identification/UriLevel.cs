using System.Text;

namespace Komlogd.Identification;

/// <summary>
/// Turns a row label or column header as written into one uri level (<c>[A-Za-z0-9_-]+</c>): letters,
/// digits, '-' and '_' stay; '%' becomes the word <c>pct</c>; every other run of characters becomes one
/// '_'; '_' and '-' are trimmed from both ends. <c>/dev/sda1</c> → <c>dev_sda1</c>, <c>Use%</c> →
/// <c>Use_pct</c>, <c>%util</c> → <c>pct_util</c>, <c>rkB/s</c> → <c>rkB_s</c>, <c>Active(anon)</c> →
/// <c>Active_anon</c>, <c>Average: all</c> → <c>Average_all</c>. A label of punctuation only has no level,
/// except <c>/</c>, which is <c>root</c>.
/// </summary>
internal static class UriLevel
{
    public static bool IsValid(string name) => name.Length > 0 && name.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_');

    public static string? Of(string raw)
    {
        var b = new StringBuilder(raw.Length + 8);
        foreach (var c in raw)
        {
            if (char.IsAsciiLetterOrDigit(c) || c is '-' or '_')
            {
                b.Append(c);
            }
            else
            {
                b.Append(c == '%' ? "_pct_" : "_");
            }
        }
        var s = b.ToString();
        while (s.Contains("__", StringComparison.Ordinal))
        {
            s = s.Replace("__", "_", StringComparison.Ordinal);
        }
        s = s.Trim('_', '-');
        if (s.Length > 0)
        {
            return s;
        }
        return raw.Trim() == "/" ? "root" : null;
    }

    /// <summary>A short stable tag of a raw key (FNV-1a), to tell apart two labels that sanitize alike.</summary>
    public static string Tag(string raw)
    {
        var h = 2166136261u;
        foreach (var c in raw)
        {
            h = (h ^ c) * 16777619u;
        }
        return (h & 0xffff).ToString("x4", System.Globalization.CultureInfo.InvariantCulture);
    }
}
