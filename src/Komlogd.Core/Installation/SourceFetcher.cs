using System.IO.Compression;
using System.Security.Cryptography;
using System.Xml.Linq;
using Komlogd.Core.Configuration;
using NuGet.Versioning;

namespace Komlogd.Core.Installation;

/// <summary>
/// Brings one block's package into a venv being built: git clones, zip extracts and directory copies go to
/// <c>src/b&lt;block&gt;/</c>, a .nupkg is copied to the venv's own feed folder <c>feed/</c>.
/// </summary>
internal sealed class SourceFetcher(ToolRunner tools, HttpClient http)
{
    private static readonly string[] SkippedDirs = ["bin", "obj", ".git", ".vs"];

    public async Task<PackageRequest> FetchAsync(PackageBlock block, InstallSpec spec, string venvDir, CancellationToken ct)
    {
        var what = $"block {block.Block} '{spec.Text}'";
        var srcDir = Path.Combine(venvDir, "src", $"b{block.Block}");
        switch (spec.Kind)
        {
            case SourceKind.NuGet:
                return new PackageRequest(block, spec, spec.Location, spec.NuGetVersionString, null, $"nuget {spec.Location} {spec.NuGetVersionString}", null, null);

            case SourceKind.Nupkg:
            {
                if (!File.Exists(spec.Location))
                {
                    throw new InstallException($"{what}: no such file {spec.Location}");
                }
                var (id, version) = ReadNuspec(spec.Location, what);
                var feed = Path.Combine(venvDir, "feed");
                Directory.CreateDirectory(feed);
                // overwrite: two blocks naming one file are reported as one package asked for twice.
                File.Copy(spec.Location, Path.Combine(feed, Path.GetFileName(spec.Location)), overwrite: true);
                return new PackageRequest(block, spec, id, $"[{version.ToNormalizedString()}]", null, $"nupkg {spec.Location}", Sha256(spec.Location), null);
            }

            case SourceKind.Git:
            {
                Directory.CreateDirectory(Path.GetDirectoryName(srcDir)!);
                // "--" ends the options: the URL is data whatever it looks like.
                await tools.RunAsync("git", ["clone", "--quiet", "--no-checkout", "--", spec.Location, srcDir], venvDir, $"{what}: git clone", mayFail: false, ct).ConfigureAwait(false);
                var commit = await ResolveRefAsync(spec, srcDir, what, ct).ConfigureAwait(false);
                await tools.RunAsync("git", ["-c", "advice.detachedHead=false", "checkout", "--quiet", commit], srcDir, $"{what}: git checkout", mayFail: false, ct).ConfigureAwait(false);
                var project = FindProject(srcDir, spec, what);
                var at = spec.GitRef is null ? "" : "@" + spec.GitRef;
                return new PackageRequest(block, spec, Path.GetFileNameWithoutExtension(project), null, project, $"git {spec.Location}{at} ({commit})", null, commit);
            }

            case SourceKind.Zip:
            {
                var zip = spec.Location;
                if (spec.Location.Contains("://", StringComparison.Ordinal))
                {
                    zip = Path.Combine(venvDir, $"download-b{block.Block}.zip");
                    await DownloadAsync(spec.Location, zip, what, ct).ConfigureAwait(false);
                }
                else if (!File.Exists(zip))
                {
                    throw new InstallException($"{what}: no such file {zip}");
                }
                try
                {
                    // ExtractToDirectory refuses entries that would land outside srcDir.
                    ZipFile.ExtractToDirectory(zip, srcDir);
                }
                catch (InvalidDataException e)
                {
                    throw new InstallException($"{what}: not a zip archive ({e.Message})", e);
                }
                var hash = Sha256(zip);
                if (zip != spec.Location)
                {
                    File.Delete(zip);
                }
                var project = FindProject(SingleTopFolder(srcDir), spec, what);
                return new PackageRequest(block, spec, Path.GetFileNameWithoutExtension(project), null, project, $"zip {spec.Location}", hash, null);
            }

            case SourceKind.Directory:
            {
                if (!Directory.Exists(spec.Location))
                {
                    throw new InstallException($"{what}: no such directory {spec.Location}");
                }
                CopyDirectory(spec.Location, srcDir);
                var project = FindProject(srcDir, spec, what);
                return new PackageRequest(block, spec, Path.GetFileNameWithoutExtension(project), null, project, $"dir {spec.Location}", null, null);
            }

            default:
                throw new ArgumentOutOfRangeException(nameof(spec), spec.Kind, null);
        }
    }

    /// <summary>A tag, a branch (local or origin's) or a commit, resolved to a full commit id.</summary>
    private async Task<string> ResolveRefAsync(InstallSpec spec, string repo, string what, CancellationToken ct)
    {
        var candidates = spec.GitRef is null ? ["HEAD"] : new[] { spec.GitRef, "origin/" + spec.GitRef };
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
        throw new InstallException($"{what}: ref '{spec.GitRef}' is not a tag, branch or commit of {spec.Location}");
    }

    private async Task DownloadAsync(string url, string file, string what, CancellationToken ct)
    {
        try
        {
            using var response = await http.GetAsync(url, HttpCompletionOption.ResponseHeadersRead, ct).ConfigureAwait(false);
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
