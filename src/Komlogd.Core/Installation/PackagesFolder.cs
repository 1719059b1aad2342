using System.Text.Json;

namespace Komlogd.Core.Installation;

/// <summary>
/// The NuGet packages folder private to a config dir (<c>.venvs/.nuget/packages</c>). NuGet reuses an
/// extracted package of the same id and version without looking at the feed again, so a package rebuilt
/// under the same version (this build's Komlogd.Sdk 0.1.0 above all) would reach venvs stale. Every local
/// .nupkg is therefore recorded by hash, and its extracted copy dropped when the hash changes.
/// </summary>
internal sealed class PackagesFolder(string venvsDir)
{
    private readonly string _root = System.IO.Path.Combine(venvsDir, ".nuget");

    public string Path => System.IO.Path.Combine(_root, "packages");

    private string HashesFile => System.IO.Path.Combine(_root, "local-packages.json");

    /// <summary>Drops the extracted copies of these local packages whose .nupkg changed since last time.</summary>
    public void InvalidateChanged(IEnumerable<(string Id, string Version, string Sha256)> packages)
    {
        Directory.CreateDirectory(_root);
        var known = File.Exists(HashesFile)
            ? JsonSerializer.Deserialize(File.ReadAllText(HashesFile), InstallJson.Default.DictionaryStringString) ?? []
            : [];
        var changed = false;
        foreach (var (id, version, sha) in packages)
        {
            var key = $"{id.ToLowerInvariant()}/{version.ToLowerInvariant()}";
            if (known.TryGetValue(key, out var old) && old == sha)
            {
                continue;
            }
            Drop(id, version);
            known[key] = sha;
            changed = true;
        }
        if (changed)
        {
            var tmp = HashesFile + ".tmp";
            File.WriteAllText(tmp, JsonSerializer.Serialize(known, InstallJson.Default.DictionaryStringString));
            File.Move(tmp, HashesFile, overwrite: true);
        }
    }

    /// <summary>Removes one extracted package (<c>--force-reinstall</c>, a changed local .nupkg).</summary>
    public void Drop(string id, string? version = null)
    {
        var dir = System.IO.Path.Combine(Path, id.ToLowerInvariant());
        if (version is not null)
        {
            dir = System.IO.Path.Combine(dir, version.ToLowerInvariant());
        }
        if (Directory.Exists(dir))
        {
            Directory.Delete(dir, recursive: true);
        }
    }
}
