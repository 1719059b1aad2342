using System.Text;
using System.Text.RegularExpressions;

namespace Komlogd.Core.Export;

/// <summary>
/// An export block's <c>include</c> and <c>exclude</c> uri globs: <c>*</c> matches within one level (no dot),
/// <c>**</c> across levels; everything else matches itself. No include list: every uri. Exclude wins.
/// </summary>
public sealed partial class UriFilter
{
    private readonly Regex? _include;
    private readonly Regex? _exclude;

    public UriFilter(IReadOnlyList<string> include, IReadOnlyList<string> exclude)
    {
        _include = Compile(include);
        _exclude = Compile(exclude);
    }

    public bool Passes(string uri) => (_include?.IsMatch(uri) ?? true) && !(_exclude?.IsMatch(uri) ?? false);

    /// <summary>The rule a glob breaks, or null.</summary>
    public static string? Check(string glob) => GlobRegex().IsMatch(glob)
        ? null
        : $"glob '{glob}' may hold only letters, digits, '-', '_', ':', '.' and '*' ('*' within one level, '**' across levels)";

    [GeneratedRegex(@"^[A-Za-z0-9_\-:.*]+\z", RegexOptions.CultureInvariant)]
    private static partial Regex GlobRegex();

    private static Regex? Compile(IReadOnlyList<string> globs)
    {
        if (globs.Count == 0)
        {
            return null;
        }
        var pattern = new StringBuilder("^(?:");
        for (var g = 0; g < globs.Count; g++)
        {
            var glob = globs[g];
            if (g > 0)
            {
                pattern.Append('|');
            }
            for (var i = 0; i < glob.Length; i++)
            {
                if (glob[i] != '*')
                {
                    pattern.Append(Regex.Escape(glob[i].ToString()));
                }
                else if (i + 1 < glob.Length && glob[i + 1] == '*')
                {
                    pattern.Append(".*");
                    i++;
                }
                else
                {
                    pattern.Append("[^.]*");
                }
            }
        }
        pattern.Append(@")\z");
        return new Regex(pattern.ToString(), RegexOptions.CultureInvariant | RegexOptions.Compiled);
    }
}
