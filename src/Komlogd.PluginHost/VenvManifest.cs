using System.Text.Json;

namespace Komlogd.PluginHost;

/// <summary>
/// What a venv's publish output says about its packages: the direct dependencies of the generated
/// Komlogd.Venv project in Komlogd.Venv.deps.json are the packages; their runtime assemblies are where the
/// entry points are looked for. The installer writes that layout (docs/installation.md).
/// </summary>
internal sealed record VenvManifest(IReadOnlyList<VenvPackage> Packages, string? SdkVersion)
{
    public static VenvManifest Read(string entryAssembly)
    {
        var depsFile = Path.ChangeExtension(entryAssembly, ".deps.json");
        using var doc = JsonDocument.Parse(File.ReadAllText(depsFile));
        var root = doc.RootElement;
        var targetName = root.GetProperty("runtimeTarget").GetProperty("name").GetString()!;
        var target = root.GetProperty("targets").GetProperty(targetName);
        var venvName = Path.GetFileNameWithoutExtension(entryAssembly);

        var libraries = target.EnumerateObject().ToDictionary(p => p.Name[..p.Name.IndexOf('/', StringComparison.Ordinal)], p => p);
        var venv = libraries[venvName].Value;
        var packages = new List<VenvPackage>();
        if (venv.TryGetProperty("dependencies", out var deps))
        {
            foreach (var dep in deps.EnumerateObject())
            {
                if (dep.Name == "Komlogd.Sdk" || !libraries.TryGetValue(dep.Name, out var lib))
                {
                    continue;
                }
                var assemblies = lib.Value.TryGetProperty("runtime", out var runtime)
                    ? runtime.EnumerateObject().Select(r => Path.GetFileNameWithoutExtension(r.Name)).ToList()
                    : [];
                packages.Add(new VenvPackage(dep.Name, dep.Value.GetString() ?? "", assemblies));
            }
        }
        var sdk = libraries.TryGetValue("Komlogd.Sdk", out var s) ? s.Name[(s.Name.IndexOf('/', StringComparison.Ordinal) + 1)..] : null;
        return new VenvManifest(packages, sdk);
    }
}

/// <param name="Id">Package id or project name.</param>
/// <param name="Version">Resolved version.</param>
/// <param name="Assemblies">Its runtime assembly names.</param>
internal sealed record VenvPackage(string Id, string Version, IReadOnlyList<string> Assemblies);
