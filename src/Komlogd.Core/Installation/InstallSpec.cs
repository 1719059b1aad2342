using System.Globalization;
using System.Text.RegularExpressions;
using NuGet.Versioning;

namespace Komlogd.Core.Installation;

/// <summary>
/// One parsed <c>install:</c> value: a source and pip-like options. Parsing never touches the disk or the
/// network; relative paths are resolved against the config dir.
/// </summary>
/// <param name="Text">The spec as written.</param>
/// <param name="Kind">What the source is.</param>
/// <param name="Location">The package id (NuGet), a full path (nupkg, zip, directory) or a URL (git without
/// <c>git+</c>, zip).</param>
/// <param name="Versions">NuGet only: the allowed versions; null for the newest.</param>
/// <param name="GitRef">Git only: the tag, branch or commit after <c>@</c>; null for the default branch.</param>
/// <param name="Project">Git, zip, directory: which .csproj (relative to the source's root), when given.</param>
/// <param name="Feeds">--source feeds (URLs or full paths), in order.</param>
public sealed partial record InstallSpec(
    string Text,
    SourceKind Kind,
    string Location,
    VersionRange? Versions,
    string? GitRef,
    string? Project,
    IReadOnlyList<string> Feeds,
    bool Upgrade,
    bool ForceReinstall,
    bool Prerelease)
{
    private const string Expected =
        "expected a NuGet id[==version], a .nupkg file, git+URL[@ref], a .zip URL or file, or a directory";

    /// <summary>Whether the spec asks to be installed at every boot (-U, --force-reinstall).</summary>
    public bool AlwaysReinstall => Upgrade || ForceReinstall;

    /// <summary>NuGet only: the PackageReference version (an exact, a range or a floating <c>*</c>).</summary>
    public string NuGetVersionString => Versions?.ToNormalizedString() ?? (Prerelease ? "*-*" : "*");

    /// <summary>Parses a spec; a mistake is an <see cref="InstallException"/> with one line.</summary>
    public static InstallSpec Parse(string text, string baseDir)
    {
        var words = ShellWords.Split(text);
        string? source = null;
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
                    if (source is not null)
                    {
                        throw new InstallException($"more than one source: '{source}' and '{w}' ({Expected})");
                    }
                    source = w;
                    break;
            }
        }
        if (source is null)
        {
            throw new InstallException($"nothing to install ({Expected})");
        }
        var spec = Classify(text, source, baseDir) with
        {
            Project = project,
            Feeds = feeds,
            Upgrade = upgrade,
            ForceReinstall = force,
            Prerelease = pre,
        };
        if (project is not null && spec.Kind is SourceKind.NuGet or SourceKind.Nupkg)
        {
            throw new InstallException("--project applies to git, zip and directory sources only");
        }
        return spec;
    }

    private static InstallSpec Classify(string text, string source, string baseDir)
    {
        InstallSpec Make(SourceKind kind, string location, VersionRange? versions = null, string? gitRef = null) =>
            new(text, kind, location, versions, gitRef, null, [], false, false, false);

        if (source.StartsWith("git+", StringComparison.OrdinalIgnoreCase))
        {
            var (url, gitRef) = SplitGitRef(source[4..]);
            return Make(SourceKind.Git, url, gitRef: gitRef);
        }
        if (IsUrl(source))
        {
            return source.EndsWith(".zip", StringComparison.OrdinalIgnoreCase)
                ? Make(SourceKind.Zip, source)
                : throw new InstallException($"'{source}': a URL must be git+URL[@ref] or end in .zip");
        }
        if (source.EndsWith(".nupkg", StringComparison.OrdinalIgnoreCase))
        {
            return Make(SourceKind.Nupkg, FullPath(source, baseDir));
        }
        if (source.EndsWith(".zip", StringComparison.OrdinalIgnoreCase))
        {
            return Make(SourceKind.Zip, FullPath(source, baseDir));
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
