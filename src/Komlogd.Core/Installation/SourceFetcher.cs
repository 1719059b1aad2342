using System.Formats.Tar;
using System.IO.Compression;
using System.Security.Cryptography;
using System.Xml.Linq;
using Komlogd.Core.Configuration;
using NuGet.Versioning;

namespace Komlogd.Core.Installation;

/// <summary>
/// Brings one source of a block's line into a venv being built: git clones, zip and tar.gz extracts and
/// directory copies go to <c>src/b&lt;block&gt;[-n]/</c>, a .nupkg is copied to the venv's own feed folder <c>feed/</c>.
/// </summary>
internal sealed class SourceFetcher(ToolRunner tools, Lazy<HttpClient> http)
{
    private static readonly string[] SkippedDirs = ["bin", "obj", ".git", ".vs"];

    /// <summary>
    /// Fetches source <paramref name="index"/> of the block's line: into <c>src/b&lt;block&gt;/</c> when the line
    /// has one source, <c>src/b&lt;block&gt;-&lt;n&gt;/</c> (n from 1) when it has several.
    /// </summary>
    public async Task<PackageRequest> FetchAsync(PackageBlock block, InstallSpec spec, int index, string venvDir, CancellationToken ct)
    {
        var source = spec.Sources[index];
        var single = spec.Sources.Count == 1;
        var what = single ? $"block {block.Block} '{spec.Text}'" : $"block {block.Block} '{spec.Text}', source '{source.Text}'";
        var name = single ? $"b{block.Block}" : $"b{block.Block}-{index + 1}";
        var srcDir = Path.Combine(venvDir, "src", name);
        PackageRequest Request(string id, string? version, string? project, string from, string? sha256 = null, string? commit = null) =>
            new(block, spec, source, id, version, project, from, sha256, commit);

        switch (source.Kind)
        {
            case SourceKind.NuGet:
                var range = spec.NuGetVersionString(source);
                return Request(source.Location, range, null, $"nuget {source.Location} {range}");

            case SourceKind.Nupkg:
            {
                if (!File.Exists(source.Location))
                {
                    throw new InstallException($"{what}: no such file {source.Location}");
                }
                var (id, version) = ReadNuspec(source.Location, what);
                var feed = Path.Combine(venvDir, "feed");
                Directory.CreateDirectory(feed);
                // overwrite: two blocks naming one file are reported as one package asked for twice.
                File.Copy(source.Location, Path.Combine(feed, Path.GetFileName(source.Location)), overwrite: true);
                return Request(id, $"[{version.ToNormalizedString()}]", null, $"nupkg {source.Location}", Sha256(source.Location));
            }

            case SourceKind.Git:
            {
                Directory.CreateDirectory(Path.GetDirectoryName(srcDir)!);
                await CloneAsync(source, srcDir, venvDir, what, ct).ConfigureAwait(false);
                var commit = await ResolveRefAsync(source, srcDir, what, ct).ConfigureAwait(false);
                await tools.RunAsync("git", ["-c", "advice.detachedHead=false", "checkout", "--quiet", commit], srcDir, $"{what}: git checkout", mayFail: false, ct).ConfigureAwait(false);
                var project = FindProject(srcDir, spec, what);
                var at = source.GitRef is null ? "" : "@" + source.GitRef;
                return Request(Path.GetFileNameWithoutExtension(project), null, project, $"git {source.Location}{at} ({commit})", commit: commit);
            }

            case SourceKind.Zip or SourceKind.TarGz:
            {
                var archive = source.Location;
                var downloaded = source.Location.Contains("://", StringComparison.Ordinal);
                if (downloaded)
                {
                    archive = Path.Combine(venvDir, $"download-{name}{(source.Kind == SourceKind.Zip ? ".zip" : ".tar.gz")}");
                    await DownloadAsync(source.Location, archive, what, ct).ConfigureAwait(false);
                }
                else if (!File.Exists(archive))
                {
                    throw new InstallException($"{what}: no such file {archive}");
                }
                await ExtractAsync(source.Kind, archive, srcDir, what, ct).ConfigureAwait(false);
                var hash = Sha256(archive);
                if (downloaded)
                {
                    File.Delete(archive);
                }
                var project = FindProject(SingleTopFolder(srcDir), spec, what);
                var kind = source.Kind == SourceKind.Zip ? "zip" : "tar.gz";
                return Request(Path.GetFileNameWithoutExtension(project), null, project, $"{kind} {source.Location}", hash);
            }

            case SourceKind.Directory:
            {
                if (!Directory.Exists(source.Location))
                {
                    throw new InstallException($"{what}: no such directory {source.Location}");
                }
                CopyDirectory(source.Location, srcDir);
                var project = FindProject(srcDir, spec, what);
                return Request(Path.GetFileNameWithoutExtension(project), null, project, $"dir {source.Location}");
            }

            default:
                throw new ArgumentOutOfRangeException(nameof(index), source.Kind, null);
        }
    }

    /// <summary>
    /// Clones with git; over ssh the agent's key and the user's known_hosts are used (<see cref="GitSsh"/>),
    /// and a host whose key is not known yet gets the one line that says how to add it.
    /// </summary>
    private async Task CloneAsync(InstallSource source, string srcDir, string venvDir, string what, CancellationToken ct)
    {
        try
        {
            // "--" ends the options: the URL is data whatever it looks like.
            await tools.RunAsync("git", ["clone", "--quiet", "--no-checkout", "--", source.Location, srcDir], venvDir, $"{what}: git clone", mayFail: false, ct).ConfigureAwait(false);
        }
        catch (InstallException e) when (e.Message.Contains(GitSsh.HostKeyFailure, StringComparison.Ordinal))
        {
            throw new InstallException($"{e.Message} ({GitSsh.HowToAddHostKey(source.Location)})", e);
        }
    }

    /// <summary>
    /// Extracts a zip or tar.gz into <paramref name="dir"/>; both refuse entries that would land outside it.
    /// </summary>
    private static async Task ExtractAsync(SourceKind kind, string archive, string dir, string what, CancellationToken ct)
    {
        try
        {
            if (kind == SourceKind.Zip)
            {
                ZipFile.ExtractToDirectory(archive, dir);
                return;
            }
            Directory.CreateDirectory(dir);
            var file = File.OpenRead(archive);
            await using (file.ConfigureAwait(false))
            {
                var gzip = new GZipStream(file, CompressionMode.Decompress);
                await using (gzip.ConfigureAwait(false))
                {
                    await TarFile.ExtractToDirectoryAsync(gzip, dir, overwriteFiles: false, ct).ConfigureAwait(false);
                }
            }
        }
        catch (Exception e) when (e is InvalidDataException or FormatException)
        {
            throw new InstallException($"{what}: not a {(kind == SourceKind.Zip ? "zip" : "tar.gz")} archive ({e.Message})", e);
        }
    }

    /// <summary>A tag, a branch (local or origin's) or a commit, resolved to a full commit id.</summary>
    private async Task<string> ResolveRefAsync(InstallSource source, string repo, string what, CancellationToken ct)
    {
        var candidates = source.GitRef is null ? ["HEAD"] : new[] { source.GitRef, "origin/" + source.GitRef };
        foreach (var candidate in candidates)
        {
            try
            {
                var commit = await tools.RunAsync("git", ["rev-parse", "--verify", "--quiet", candidate + "^{commit}"], repo, $"{what}: git rev-parse", mayFail: true, ct).ConfigureAwait(false);
                return commit.Trim();
            }
            catch (InstallException)
            {
                // Not this form of the ref; try the next.
            }
        }
        throw new InstallException($"{what}: ref '{source.GitRef}' is not a tag, branch or commit of {source.Location}");
    }

    private async Task DownloadAsync(string url, string file, string what, CancellationToken ct)
    {
        try
        {
            using var response = await http.Value.GetAsync(url, HttpCompletionOption.ResponseHeadersRead, ct).ConfigureAwait(false);
            if (!response.IsSuccessStatusCode)
            {
                throw new InstallException($"{what}: download failed: HTTP {(int)response.StatusCode} {response.ReasonPhrase}");
            }
            var output = File.Create(file);
            await using (output.ConfigureAwait(false))
            {
                await response.Content.CopyToAsync(output, ct).ConfigureAwait(false);
            }
        }
        catch (HttpRequestException e)
        {
            throw new InstallException($"{what}: download failed: {e.Message}", e);
        }
    }

    /// <summary>A GitHub archive holds one top folder (<c>kpack-master/</c>): its root is that folder.</summary>
    private static string SingleTopFolder(string dir)
    {
        var dirs = Directory.GetDirectories(dir);
        return dirs.Length == 1 && Directory.GetFiles(dir).Length == 0 ? dirs[0] : dir;
    }

    /// <summary>
    /// --project if given; else the one .csproj nearest the root (bin/obj/.git skipped). Several at the
    /// same nearest depth is a question only the user can answer.
    /// </summary>
    internal static string FindProject(string root, InstallSpec spec, string what)
    {
        if (spec.Project is not null)
        {
            var chosen = Path.GetFullPath(spec.Project, root);
            return File.Exists(chosen) ? chosen : throw new InstallException($"{what}: --project {spec.Project} does not exist in the source");
        }
        var projects = Directory.EnumerateFiles(root, "*.csproj", SearchOption.AllDirectories)
            .Where(p => !Path.GetRelativePath(root, p).Split(Path.DirectorySeparatorChar).Any(SkippedDirs.Contains))
            .GroupBy(p => Path.GetRelativePath(root, p).Count(c => c == Path.DirectorySeparatorChar))
            .OrderBy(g => g.Key)
            .FirstOrDefault()?
            .ToList();
        return projects switch
        {
            null => throw new InstallException($"{what}: no .csproj in the source"),
            [var one] => one,
            _ => throw new InstallException($"{what}: several projects ({string.Join(", ", projects.Select(p => Path.GetRelativePath(root, p)).Order(StringComparer.Ordinal))}); choose one with --project PATH"),
        };
    }

    internal static (string Id, NuGetVersion Version) ReadNuspec(string nupkg, string what)
    {
        try
        {
            using var zip = ZipFile.OpenRead(nupkg);
            var entry = zip.Entries.FirstOrDefault(e => !e.FullName.Contains('/', StringComparison.Ordinal) && e.FullName.EndsWith(".nuspec", StringComparison.OrdinalIgnoreCase))
                ?? throw new InstallException($"{what}: {nupkg} holds no .nuspec; not a NuGet package");
            using var stream = entry.Open();
            var metadata = XDocument.Load(stream).Root?.Elements().FirstOrDefault(e => e.Name.LocalName == "metadata");
            var id = metadata?.Elements().FirstOrDefault(e => e.Name.LocalName == "id")?.Value;
            var version = metadata?.Elements().FirstOrDefault(e => e.Name.LocalName == "version")?.Value;
            return id is not null && NuGetVersion.TryParse(version, out var v)
                ? (id, v)
                : throw new InstallException($"{what}: {nupkg}: its .nuspec has no id or version");
        }
        catch (InvalidDataException e)
        {
            throw new InstallException($"{what}: {nupkg} is not a NuGet package ({e.Message})", e);
        }
    }

    internal static string Sha256(string file)
    {
        using var stream = File.OpenRead(file);
        return Convert.ToHexStringLower(SHA256.HashData(stream));
    }

    private static void CopyDirectory(string from, string to)
    {
        Directory.CreateDirectory(to);
        foreach (var file in Directory.EnumerateFiles(from))
        {
            File.Copy(file, Path.Combine(to, Path.GetFileName(file)));
        }
        foreach (var dir in Directory.EnumerateDirectories(from))
        {
            var name = Path.GetFileName(dir);
            // Build output of the user's own builds would confuse ours (stale project.assets.json).
            if (!SkippedDirs.Contains(name))
            {
                CopyDirectory(dir, Path.Combine(to, name));
            }
        }
    }
}
