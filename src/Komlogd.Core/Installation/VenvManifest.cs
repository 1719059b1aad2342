using System.Globalization;
using Komlogd.Protocol.Json;

namespace Komlogd.Core.Installation;

/// <summary>
/// <c>&lt;venv&gt;/manifest.json</c>: what the venv was asked to hold and what was resolved. It is written
/// last, into the temp dir before the swap, so a venv with a manifest is a complete one.
/// </summary>
/// <param name="Format">Manifest format; another number means "reinstall".</param>
/// <param name="Venv">The venv's name.</param>
/// <param name="Asked">The blocks' specs, in file order; unchanged specs mean nothing to do.</param>
/// <param name="Packages">The direct packages of the venv as resolved.</param>
/// <param name="EntryAssembly">The generated library, relative to the venv dir (publish/Komlogd.Venv.dll).</param>
/// <param name="InstalledAt">When this install finished.</param>
/// <param name="SdkSha256">Hash of the Komlogd.Sdk package this venv was restored against.</param>
public sealed record VenvManifest(
    int Format,
    string Venv,
    IReadOnlyList<AskedBlock> Asked,
    IReadOnlyList<ResolvedPackage> Packages,
    string EntryAssembly,
    DateTimeOffset InstalledAt,
    string? SdkSha256)
{
    public const int CurrentFormat = 1;
    public const string FileName = "manifest.json";

    /// <summary>
    /// The manifest in <paramref name="venvDir"/>, or null when there is none or it cannot be read (another
    /// format, a broken file: the venv is installed again). Read by hand in the shape <see cref="InstallJson"/>
    /// writes (camelCase, nulls left out): the agent reads each venv's manifest at every start, and the
    /// serializer's metadata stayed in it for that (docs/benchmarks.md). <c>InstallerWireTests</c> checks it
    /// against the serializer.
    /// </summary>
    public static VenvManifest? TryRead(string venvDir)
    {
        var file = Path.Combine(venvDir, FileName);
        try
        {
            if (!File.Exists(file))
            {
                return null;
            }
            var m = JsonValue.Parse(File.ReadAllBytes(file));
            return new VenvManifest(
                m.GetProperty("format").GetInt32(),
                m.GetProperty("venv").GetString()!,
                [.. m.GetProperty("asked").EnumerateArray().Select(a => new AskedBlock(a.GetProperty("block").GetInt32(), a.GetProperty("install").GetString()!))],
                [.. m.GetProperty("packages").EnumerateArray().Select(p => new ResolvedPackage(
                    p.GetProperty("id").GetString()!, p.GetProperty("version").GetString()!, p.GetProperty("source").GetString()!,
                    p.GetProperty("block").GetInt32(), Optional(p, "sha512"), Optional(p, "sha256"), Optional(p, "commit")))],
                m.GetProperty("entryAssembly").GetString()!,
                DateTimeOffset.Parse(m.GetProperty("installedAt").GetString()!, CultureInfo.InvariantCulture),
                Optional(m, "sdkSha256"));
        }
        catch (Exception e) when (e is JsonFormatException or InvalidOperationException or KeyNotFoundException or FormatException)
        {
            return null;
        }

        static string? Optional(JsonValue e, string name) => e.TryGetProperty(name, out var value) ? value.GetString() : null;
    }

    public void Write(string venvDir) =>
        File.WriteAllText(Path.Combine(venvDir, FileName), System.Text.Json.JsonSerializer.Serialize(this, InstallJson.Default.VenvManifest));
}
