using System.Globalization;
using System.Text.RegularExpressions;
using NuGet.Versioning;

namespace Komlogd.Core.Installation;

/// <summary>
/// One parsed <c>install:</c> value: one or more sources and pip-like options, which apply to the whole line
/// (a source's <c>==version</c> is its own). Parsing never touches the disk or the network; relative paths
/// are resolved against the config dir.
/// </summary>
/// <param name="Text">The spec as written.</param>
/// <param name="Sources">The sources, in the order written; all go into the block's venv.</param>
/// <param name="Project">Git, archive, directory: which .csproj (relative to the source's root), when given;
/// only with a single source.</param>
/// <param name="Feeds">--source feeds (URLs or full paths), in order.</param>
public sealed partial record InstallSpec(
    string Text,
    IReadOnlyList<InstallSource> Sources,
    string? Project,
    IReadOnlyList<string> Feeds,
    bool Upgrade,
    bool ForceReinstall,
    bool Prerelease)
{
    private const string Expected =
        "expected a NuGet id[==version], a .nupkg file, git+URL[@ref], a .zip or .tar.gz URL or file, or a directory";

    /// <summary>Whether the spec asks to be installed at every boot (-U, --force-reinstall).</summary>
    public bool AlwaysReinstall => Upgrade || ForceReinstall;

    /// <summary>A NuGet source's PackageReference version (an exact, a range or a floating <c>*</c>).</summary>
    public string NuGetVersionString(InstallSource source)
    {
        ArgumentNullException.ThrowIfNull(source);
        return source.Versions?.ToNormalizedString() ?? (Prerelease ? "*-*" : "*");
    }

    /// <summary>Parses a spec; a mistake is an <see cref="InstallException"/> with one line.</summary>
    public static InstallSpec Parse(string text, string baseDir)
    {
        var words = ShellWords.Split(text);
        var sources = new List<InstallSource>();
        string? project = null;
        var feeds = new List<string>();
        bool upgrade = false, force = false, pre = false;
        for (var i = 0; i < words.Count; i++)
        {
            var w = words[i];
            var (name, inline) = w.StartsWith("--", StringComparison.Ordinal) && w.IndexOf('=', StringComparison.Ordinal) is > 2 and var eq
                ? (w[..eq], w[(eq + 1)..])
                : (w, null);
            switch (name)
            {
                case "-U" or "--upgrade":
                    upgrade = true;
                    break;
                case "--force-reinstall":
                    force = true;
                    break;
                case "--pre" or "--prerelease":
                    pre = true;
                    break;
                case "--source":
                    var feed = inline ?? Value(words, ref i, name);
                    feeds.Add(IsUrl(feed) ? feed : FullPath(feed, baseDir));
                    break;
                case "--project":
                    project = CheckProjectPath(inline ?? Value(words, ref i, name));
                    break;
                default:
                    if (w.StartsWith('-'))
                    {
                        throw new InstallException($"unknown option '{w}' (options: -U/--upgrade, --force-reinstall, --source FEED, --prerelease, --project PATH)");
                    }
                    sources.Add(Classify(w, baseDir));
                    break;
            }
        }
        if (sources.Count == 0)
        {
            throw new InstallException($"nothing to install ({Expected})");
        }
        if (project is not null && sources.Count > 1)
        {
            throw new InstallException($"--project applies to a single source; this line has {sources.Count} ({string.Join(", ", sources.Select(s => $"'{s.Text}'"))}): give that source a block of its own");
        }
        if (project is not null && sources[0].Kind is SourceKind.NuGet or SourceKind.Nupkg)
        {
            throw new InstallException("--project applies to git, archive and directory sources only");
        }
        return new InstallSpec(text, sources, project, feeds, upgrade, force, pre);
    }

    private static InstallSource Classify(string source, string baseDir)
    {
        InstallSource Make(SourceKind kind, string location, VersionRange? versions = null, string? gitRef = null) =>
            new(source, kind, location, versions, gitRef);

        if (source.StartsWith("git+", StringComparison.OrdinalIgnoreCase))
        {
            var (url, gitRef) = SplitGitRef(source[4..]);
            return Make(SourceKind.Git, url, gitRef: gitRef);
        }
        if (IsUrl(source))
        {
            return ArchiveKind(source) is { } kind
                ? Make(kind, source)
                : throw new InstallException($"'{source}': a URL must be git+URL[@ref] or end in .zip, .tar.gz or .tgz");
        }
        if (source.EndsWith(".nupkg", StringComparison.OrdinalIgnoreCase))
        {
            return Make(SourceKind.Nupkg, FullPath(source, baseDir));
        }
        if (ArchiveKind(source) is { } archive)
        {
            return Make(archive, FullPath(source, baseDir));
        }
        if (source.Contains('/', StringComparison.Ordinal) || source.StartsWith('.') || source.StartsWith('~'))
        {
            return Make(SourceKind.Directory, FullPath(source, baseDir));
        }
        var m = IdRegex().Match(source);
        if (!m.Success)
        {
            throw new InstallException($"cannot tell what '{source}' is ({Expected})");
        }
        var range = m.Groups["spec"].Value is { Length: > 0 } s ? ParseVersions(m.Groups["id"].Value, s) : null;
        return Make(SourceKind.NuGet, m.Groups["id"].Value, range);
    }

    private static SourceKind? ArchiveKind(string source) =>
        source.EndsWith(".zip", StringComparison.OrdinalIgnoreCase) ? SourceKind.Zip
        : source.EndsWith(".tar.gz", StringComparison.OrdinalIgnoreCase) || source.EndsWith(".tgz", StringComparison.OrdinalIgnoreCase) ? SourceKind.TarGz
        : null;

    /// <summary>
    /// pip's version specifiers mapped to a NuGet range: <c>==1.2</c> exact, <c>&gt;=</c>, <c>&gt;</c>,
    /// <c>&lt;=</c>, <c>&lt;</c>, and <c>~=1.4.2</c> (compatible release: <c>[1.4.2, 1.5)</c>), comma-joined.
    /// </summary>
    internal static VersionRange ParseVersions(string id, string text)
    {
        NuGetVersion? min = null, max = null;
        bool minIn = false, maxIn = false;
        foreach (var clause in text.Split(','))
        {
            var c = VersionClauseRegex().Match(clause.Trim());
            if (!c.Success || !NuGetVersion.TryParse(c.Groups["v"].Value, out var v))
            {
                throw new InstallException($"'{id}{text}': '{clause.Trim()}' is not a version specifier (use ==, >=, >, <=, < or ~= and a version, e.g. {id}==1.2.0)");
            }
            var op = c.Groups["op"].Value;
            if (op is "==" or ">=" or ">" or "~=")
            {
                if (min is not null)
                {
                    throw new InstallException($"'{id}{text}': more than one lower bound");
                }
                (min, minIn) = (v, op != ">");
            }
            if (op is "==" or "<=" or "<" or "~=")
            {
                if (max is not null)
                {
                    throw new InstallException($"'{id}{text}': more than one upper bound");
                }
                (max, maxIn) = op switch
                {
                    "~=" => (CompatibleUpperBound(id, text, c.Groups["v"].Value), false),
                    _ => (v, op != "<"),
                };
            }
        }
        return new VersionRange(min, minIn, max, maxIn);
    }

    /// <summary>~=1.4.2 → 1.5.0; ~=1.4 → 2.0 (drop the last part, increment the one before).</summary>
    private static NuGetVersion CompatibleUpperBound(string id, string text, string version)
    {
        var parts = version.Split('-', '+')[0].Split('.');
        if (parts.Length < 2)
        {
            throw new InstallException($"'{id}{text}': ~= needs at least two version parts (e.g. ~=1.4)");
        }
        var kept = parts[..^1].Select(p => int.Parse(p, CultureInfo.InvariantCulture)).ToArray();
        kept[^1]++;
        return NuGetVersion.Parse(string.Join('.', kept));
    }

    private static (string Url, string? Ref) SplitGitRef(string rest)
    {
        var scheme = rest.IndexOf("://", StringComparison.Ordinal);
        var kind = scheme > 0 ? rest[..scheme].ToLowerInvariant() : "";
        // Only transports that fetch data: git's ext:: and fd:: run commands.
        if (kind is not ("https" or "http" or "ssh" or "file"))
        {
            throw new InstallException($"'git+{rest}': use git+https://, git+http://, git+ssh:// or git+file://");
        }
        var pathStart = rest.IndexOf('/', scheme + 3);
        var at = pathStart < 0 ? -1 : rest.LastIndexOf('@');
        if (at < pathStart)
        {
            return (rest, null);
        }
        var gitRef = rest[(at + 1)..];
        if (gitRef.Length == 0)
        {
            throw new InstallException($"'git+{rest}': empty ref after '@'");
        }
        // A ref is handed to git as an argument: one beginning with '-' would read as an option.
        if (gitRef.StartsWith('-') || gitRef.Any(char.IsControl) || gitRef.Contains("..", StringComparison.Ordinal))
        {
            throw new InstallException($"'git+{rest}': '{gitRef}' is not a valid git ref (it must not begin with '-')");
        }
        return (rest[..at], gitRef);
    }

    private static string CheckProjectPath(string path)
    {
        if (Path.IsPathRooted(path) || path.Split('/', '\\').Contains("..") || !path.EndsWith(".csproj", StringComparison.OrdinalIgnoreCase))
        {
            throw new InstallException($"--project '{path}' must be a relative path to a .csproj inside the source");
        }
        return path;
    }

    private static string Value(IReadOnlyList<string> words, ref int i, string option) =>
        ++i < words.Count ? words[i] : throw new InstallException($"{option} needs a value");

    private static bool IsUrl(string s) =>
        s.StartsWith("https://", StringComparison.OrdinalIgnoreCase) || s.StartsWith("http://", StringComparison.OrdinalIgnoreCase);

    private static string FullPath(string path, string baseDir) =>
        path == "~" || path.StartsWith("~/", StringComparison.Ordinal)
            ? Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), path.TrimStart('~').TrimStart('/'))
            : Path.GetFullPath(path, baseDir);

    [GeneratedRegex(@"^(?<id>[A-Za-z0-9_][A-Za-z0-9_.\-]*)(?<spec>[=<>~].*)?$")]
    private static partial Regex IdRegex();

    [GeneratedRegex(@"^(?<op>==|>=|<=|~=|>|<)\s*(?<v>[0-9][0-9A-Za-z.\-+]*)$")]
    private static partial Regex VersionClauseRegex();
}
