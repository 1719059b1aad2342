using Komlogd.Protocol.Json;

namespace Komlogd.Protocol.Venvs;

/// <summary>
/// What a venv's <c>publish/Komlogd.Venv.deps.json</c> says: the direct dependencies of the generated
/// Komlogd.Venv library are the venv's packages (the installer writes that project; the plugin host loads
/// exactly these, looking for entry points in their runtime assemblies). The one reader of that file, for
/// the installer, the host and the tests (docs/installation.md, "Venv layout").
/// </summary>
/// <param name="Dependencies">The direct dependencies of Komlogd.Venv, in the file's order.</param>
/// <param name="SdkVersion">The Komlogd.Sdk version the venv resolved, or null when it has none.</param>
/// <param name="Libraries">Every library of the target, id → version (transitive ones included).</param>
public sealed record VenvDeps(IReadOnlyList<VenvDependency> Dependencies, string? SdkVersion, IReadOnlyDictionary<string, string> Libraries)
{
    /// <summary>The generated library every venv publishes.</summary>
    public const string EntryLibrary = "Komlogd.Venv";

    /// <summary>The SDK's package id.</summary>
    public const string SdkId = "Komlogd.Sdk";

    /// <summary>The deps.json beside a venv's entry assembly (<c>…/publish/Komlogd.Venv.dll</c>).</summary>
    public static string FileOf(string entryAssembly) => Path.ChangeExtension(entryAssembly, ".deps.json");

    /// <summary>Reads a deps.json; the target is the one <c>runtimeTarget</c> names.</summary>
    /// <exception cref="IOException">The file cannot be read.</exception>
    /// <exception cref="UnauthorizedAccessException">The file cannot be read.</exception>
    /// <exception cref="FormatException">It is not the deps.json of a venv: one line saying what is missing.</exception>
    public static VenvDeps Read(string depsFile)
    {
        JsonValue root;
        try
        {
            root = JsonValue.Parse(File.ReadAllBytes(depsFile));
        }
        catch (JsonFormatException e)
        {
            throw new FormatException($"{depsFile}: not JSON: {e.Message}", e);
        }
        var targetName = Property(root, "runtimeTarget", depsFile) is { ValueKind: JsonKind.Object } rt && rt.TryGetProperty("name", out var n)
            ? n.GetString()
            : null;
        var targets = Property(root, "targets", depsFile);
        if (targetName is null || !targets.TryGetProperty(targetName, out var target))
        {
            throw new FormatException($"{depsFile}: no target '{targetName}' (runtimeTarget.name)");
        }
        // "Id/Version" → the library's entry.
        var libraries = new Dictionary<string, (string Version, JsonValue Entry)>(StringComparer.OrdinalIgnoreCase);
        foreach (var p in target.EnumerateObject())
        {
            var slash = p.Name.IndexOf('/', StringComparison.Ordinal);
            if (slash > 0)
            {
                libraries[p.Name[..slash]] = (p.Name[(slash + 1)..], p.Value);
            }
        }
        if (!libraries.TryGetValue(EntryLibrary, out var venv))
        {
            throw new FormatException($"{depsFile}: no library {EntryLibrary} in target '{targetName}'");
        }
        var hashes = root.TryGetProperty("libraries", out var l) ? l : default;
        var dependencies = new List<VenvDependency>();
        if (venv.Entry.TryGetProperty("dependencies", out var deps))
        {
            foreach (var dep in deps.EnumerateObject())
            {
                var version = dep.Value.GetString() ?? "";
                var assemblies = libraries.TryGetValue(dep.Name, out var lib) && lib.Entry.TryGetProperty("runtime", out var runtime)
                    ? runtime.EnumerateObject().Select(r => Path.GetFileNameWithoutExtension(r.Name)).ToList()
                    : [];
                string? sha = null;
                if (hashes.ValueKind == JsonKind.Object && hashes.TryGetProperty($"{dep.Name}/{version}", out var h)
                    && h.TryGetProperty("sha512", out var s) && s.GetString() is { Length: > 0 } hash)
                {
                    sha = hash;
                }
                dependencies.Add(new VenvDependency(dep.Name, version, sha, assemblies));
            }
        }
        return new VenvDeps(
            dependencies,
            libraries.TryGetValue(SdkId, out var sdk) ? sdk.Version : null,
            libraries.Where(p => p.Key != EntryLibrary).ToDictionary(p => p.Key, p => p.Value.Version, StringComparer.OrdinalIgnoreCase));
    }

    private static JsonValue Property(JsonValue e, string name, string file) =>
        e.ValueKind == JsonKind.Object && e.TryGetProperty(name, out var v) ? v : throw new FormatException($"{file}: no '{name}'");
}
