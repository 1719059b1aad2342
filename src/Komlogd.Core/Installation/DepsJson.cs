using System.Text.Json;

namespace Komlogd.Core.Installation;

/// <summary>
/// Reads <c>Komlogd.Venv.deps.json</c>: the direct dependencies of the generated library are the venv's
/// packages (the plugin host loads exactly these).
/// </summary>
internal static class DepsJson
{
    /// <summary>Each direct dependency: id, version, and NuGet's sha512 when it is a package.</summary>
    public static IReadOnlyList<(string Id, string Version, string? Sha512)> DirectDependencies(string depsFile, string library)
    {
        using var doc = JsonDocument.Parse(File.ReadAllText(depsFile));
        var root = doc.RootElement;
        var target = root.GetProperty("targets").EnumerateObject().First().Value;
        var self = target.EnumerateObject().First(p => p.Name.StartsWith(library + "/", StringComparison.Ordinal)).Value;
        var libraries = root.GetProperty("libraries");
        var result = new List<(string, string, string?)>();
        if (self.TryGetProperty("dependencies", out var deps))
        {
            foreach (var dep in deps.EnumerateObject())
            {
                var version = dep.Value.GetString()!;
                string? sha = null;
                if (libraries.TryGetProperty($"{dep.Name}/{version}", out var lib) && lib.TryGetProperty("sha512", out var s) && s.GetString() is { Length: > 0 } h)
                {
                    sha = h;
                }
                result.Add((dep.Name, version, sha));
            }
        }
        return result;
    }
}
