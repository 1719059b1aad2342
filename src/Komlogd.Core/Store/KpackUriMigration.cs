using System.Text;
using Komlogd.Protocol.Json;

namespace Komlogd.Core.Store;

/// <summary>
/// Store migration 4: the sample package kpack_linux now names its uris as the original did (issue 17), and
/// this moves the history stored under the old names to the new ones, so no dashboard or query loses it:
/// <list type="bullet">
/// <item><c>&lt;root&gt;.system.resources.mem[.…]</c> → <c>&lt;root&gt;.system.resources.memory[.…]</c>;</item>
/// <item>a dotted host name squashed into one level (<c>db_example_org</c>) → its nested levels
/// (<c>db.example.org</c>), for the host names the agent can know: <c>KPACK_LINUX_HOSTNAME</c> or the
/// machine's name, and the <c>hosts[].name</c> of kpack_linux's settings file.</item>
/// </list>
/// A tree is kpack_linux's when <c>&lt;root&gt;.system.resources.cpu</c> exists; nothing else is touched.
/// Code, not SQL, because the host names are facts of the machine; run by the agent at start, before any
/// package, once per store (<see cref="SampleStore.ApplyOnce{T}"/>). Guarded by KpackUriMigrationTests and,
/// end to end, by the agent's KpackLinuxTests.
/// </summary>
internal static class KpackUriMigration
{
    public const int Version = 4;

    private const string Resources = ".system.resources.";

    /// <summary>One uri moved: renamed, or its samples merged into an existing uri of the same type.</summary>
    public sealed record Rename(string From, string To, bool Merged);

    /// <summary>Applies the migration once; null when this store had it already.</summary>
    public static IReadOnlyList<Rename>? Apply(SampleStore store, IEnumerable<string> hosts)
    {
        ArgumentNullException.ThrowIfNull(store);
        var pairs = hosts
            .Select(h => (Old: SquashedLevel(h), New: NestedLevels(h)))
            .Where(p => p.New is not null && p.New != p.Old)
            .Select(p => (p.Old, New: p.New!))
            .Distinct()
            .ToList();
        return store.ApplyOnce(Version, db => Run(db, pairs));
    }

    /// <summary>
    /// The local host's name as kpack_linux reads it, and the remote hosts of its settings file; a settings
    /// file that cannot be read adds nothing (the package itself reports it when it loads).
    /// </summary>
    public static IReadOnlyList<string> KnownHosts(Func<string, string?> variable, string machineName)
    {
        ArgumentNullException.ThrowIfNull(variable);
        var hosts = new List<string> { variable("KPACK_LINUX_HOSTNAME") is { Length: > 0 } name ? name : machineName };
        var file = variable("KPACK_LINUX_SETTINGS") is { Length: > 0 } set ? set
            : Path.Combine(variable("XDG_CONFIG_HOME") is { Length: > 0 } xdg ? xdg
                : Path.Combine(variable("HOME") ?? Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".config"),
                "kpack_linux", "settings.json");
        try
        {
            var settings = JsonValue.Parse(File.ReadAllBytes(file), commentsAndTrailingCommas: true);
            if (settings.ValueKind == JsonKind.Object
                && settings.TryGetProperty("hosts", out var list) && list.ValueKind == JsonKind.Array)
            {
                hosts.AddRange(list.EnumerateArray()
                    .Where(h => h.ValueKind == JsonKind.Object && h.TryGetProperty("name", out var n) && n.ValueKind == JsonKind.String)
                    .Select(h => h.GetProperty("name").GetString()!));
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or JsonFormatException)
        {
            // No file or a broken one: only the local name is known.
        }
        return hosts;
    }

    private static List<Rename> Run(Database db, IReadOnlyList<(string Old, string New)> hosts)
    {
        var metrics = new Dictionary<string, (long Id, long Type)>(StringComparer.Ordinal);
        using (var select = db.Prepare("SELECT id, uri, type FROM metrics WHERE uri LIKE '%.system.resources.%'"))
        {
            while (select.Step())
            {
                metrics[select.Text(1)] = (select.Int64(0), select.Int64(2));
            }
        }
        // kpack_linux's trees: every root whose cpu datasource exists. Found before anything moves.
        var roots = metrics.Keys
            .Where(u => u.EndsWith(Resources + "cpu", StringComparison.Ordinal))
            .Select(u => u[..^(Resources.Length + "cpu".Length)])
            .ToHashSet(StringComparer.Ordinal);
        var renames = new List<Rename>();
        foreach (var uri in metrics.Keys.Order(StringComparer.Ordinal).ToList())
        {
            var at = uri.IndexOf(Resources, StringComparison.Ordinal);
            if (at <= 0 || !roots.Contains(uri[..at]))
            {
                continue;
            }
            var target = NewRoot(uri[..at], hosts) + Resources + NewRest(uri[(at + Resources.Length)..]);
            if (target == uri)
            {
                continue;
            }
            var (id, type) = metrics[uri];
            if (metrics.TryGetValue(target, out var existing))
            {
                // Written under the new name already (data import, a second host of the same name): the
                // history joins it; where both have a sample at one time, the newer name's value stays.
                if (existing.Type != type)
                {
                    continue;
                }
                Run(db, "INSERT INTO samples(metric_id, t, value) SELECT $to, t, value FROM samples WHERE metric_id = $from ON CONFLICT DO NOTHING", id, ("$to", existing.Id));
                Run(db, "DELETE FROM samples WHERE metric_id = $from", id);
                Run(db, "DELETE FROM metrics WHERE id = $from", id);
                renames.Add(new Rename(uri, target, Merged: true));
            }
            else
            {
                using (var rename = db.Prepare("UPDATE metrics SET uri = $uri WHERE id = $id"))
                {
                    rename.Bind("$uri", target).Bind("$id", id).Run();
                }
                metrics[target] = (id, type);
                renames.Add(new Rename(uri, target, Merged: false));
            }
            metrics.Remove(uri);
        }
        return renames;
    }

    /// <summary>One statement about the metric <paramref name="from"/> (<c>$from</c>), with one more id when given.</summary>
    private static void Run(Database db, string sql, long from, (string Name, long Value)? other = null)
    {
        using var statement = db.Prepare(sql).Bind("$from", from);
        if (other is { } o)
        {
            statement.Bind(o.Name, o.Value);
        }
        statement.Run();
    }

    // mem and everything under it (its datapoints, its _anomaly) → memory.
    private static string NewRest(string rest) =>
        rest == "mem" || rest.StartsWith("mem.", StringComparison.Ordinal) ? "memory" + rest[3..] : rest;

    // <base>.<squashed host> → <base>.<host levels>; the base is whatever baseUri the package had.
    private static string NewRoot(string root, IReadOnlyList<(string Old, string New)> hosts)
    {
        foreach (var (old, levels) in hosts)
        {
            if (root.EndsWith("." + old, StringComparison.Ordinal))
            {
                return root[..^old.Length] + levels;
            }
        }
        return root;
    }

    /// <summary>
    /// How kpack_linux named a host before issue 17 (its <c>UriNames.Level</c> then): every run of characters
    /// other than <c>[A-Za-z0-9-_]</c> one <c>_</c>, trimmed, <c>root</c> when nothing was left.
    /// </summary>
    internal static string SquashedLevel(string name) => Clean(name) ?? "root";

    /// <summary>How it names one now (its <c>UriNames.Host</c>): each dot a level, each level cleaned as above.</summary>
    internal static string? NestedLevels(string name)
    {
        var levels = name.Split('.').Select(Clean).OfType<string>().ToList();
        return levels.Count == 0 ? null : string.Join('.', levels);
    }

    // kpack_linux's level rule, copied on purpose: the agent cannot reference a package, and this copy must stay
    // the rule of the builds that wrote the old uris even if the package's own rule changes later.
    private static string? Clean(string name)
    {
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
}
