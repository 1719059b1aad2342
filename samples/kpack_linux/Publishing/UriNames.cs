using System.Text;

namespace Kpack.Linux.Publishing;

/// <summary>
/// How sar's names become uri levels (<c>[A-Za-z0-9-_]</c>). Guarded by UriNamesTests.
/// </summary>
internal static class UriNames
{
    /// <summary>The default root; the host's level and <c>system.resources</c> follow it.</summary>
    public const string DefaultBaseUri = "pkg.kpack_linux";

    /// <summary>
    /// A device, interface or filesystem name as one level: every run of other characters becomes one
    /// <c>_</c>, and <c>_</c> at either end is dropped (<c>/dev/mapper/vg-root</c> → <c>dev_mapper_vg-root</c>,
    /// <c>eth0.100</c> → <c>eth0_100</c>). A name with no letter or digit left (<c>/</c>) becomes <c>root</c>.
    /// </summary>
    public static string Level(string name) => Clean(name) is { } level ? level : "root";

    /// <summary>
    /// A host name as levels, as the original joined <c>socket.gethostname()</c> into its uri: each dot is a
    /// level (<c>db.example.org</c> → <c>db.example.org</c>, three levels), and within a level every run of
    /// characters a uri cannot hold becomes one <c>_</c>, trimmed at the ends (<c>my host.lan</c> →
    /// <c>my_host.lan</c>). Empty levels are dropped (<c>db..lan.</c> → <c>db.lan</c>).
    /// </summary>
    /// <returns>The levels joined by dots, or null when no letter or digit is left.</returns>
    public static string? Host(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        var levels = name.Split('.').Select(Clean).OfType<string>().ToList();
        return levels.Count == 0 ? null : string.Join('.', levels);
    }

    // One level of [A-Za-z0-9-_], or null when no letter or digit is left.
    private static string? Clean(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        var sb = new StringBuilder(name.Length);
        foreach (var c in name)
        {
            if (char.IsAsciiLetterOrDigit(c) || c is '-' or '_')
            {
                sb.Append(c);
            }
            else if (sb.Length > 0 && sb[^1] != '_')
            {
                sb.Append('_');
            }
        }
        var level = sb.ToString().Trim('_');
        return level.Any(char.IsAsciiLetterOrDigit) ? level : null;
    }

    /// <summary>
    /// A sar column as a level, as the original named them: <c>/s</c> dropped (<c>majflt/s</c> → <c>majflt</c>),
    /// <c>%</c> dropped (<c>%util</c> → <c>util</c>) unless the bare name is another column of the same section,
    /// then <c>p</c> for percent (<c>%Iused</c> beside <c>Iused</c> → <c>pIused</c>).
    /// </summary>
    public static string Column(string column, IReadOnlyList<string> columns)
    {
        ArgumentNullException.ThrowIfNull(column);
        ArgumentNullException.ThrowIfNull(columns);
        var percent = column.StartsWith('%') && HasBareTwin(column, columns);
        // sar's columns are a fixed vocabulary, named again at every collection: each level is made once (up to
        // a bound, in case a sar somewhere prints names of its own).
        var cache = percent ? PercentLevels : Levels;
        lock (cache)
        {
            if (cache.TryGetValue(column, out var cached))
            {
                return cached;
            }
        }
        var level = Level(percent ? "p" + Bare(column) : Bare(column));
        lock (cache)
        {
            if (cache.Count < MaxCachedColumns)
            {
                cache.TryAdd(column, level);
            }
        }
        return level;
    }

    private const int MaxCachedColumns = 512;
    // Plain dictionaries under a lock, not ConcurrentDictionary: hosts collected at once look up a few names each, and
    // System.Collections.Concurrent was 0.2 MiB of the host for these two maps (docs/benchmarks.md).
    private static readonly Dictionary<string, string> Levels = new(StringComparer.Ordinal);
    private static readonly Dictionary<string, string> PercentLevels = new(StringComparer.Ordinal);

    // Whether another column of the section has this one's bare name without the '%' (%Iused beside Iused).
    private static bool HasBareTwin(string column, IReadOnlyList<string> columns)
    {
        var bare = column.AsSpan().TrimStart('%');
        foreach (var c in columns)
        {
            if (!c.StartsWith('%'))
            {
                var other = c.AsSpan();
                if (other.EndsWith("/s", StringComparison.Ordinal))
                {
                    other = other[..^2];
                }
                if (other.SequenceEqual(bare.EndsWith("/s", StringComparison.Ordinal) ? bare[..^2] : bare))
                {
                    return true;
                }
            }
        }
        return false;
    }

    private static string Bare(string column)
    {
        var name = column.EndsWith("/s", StringComparison.Ordinal) ? column[..^2] : column;
        return name.TrimStart('%');
    }
}
