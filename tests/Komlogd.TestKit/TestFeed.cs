namespace Komlogd.TestKit;

/// <summary>
/// A local NuGet feed folder filled by the test run: test packages (tests/TestPackages) copied to a temp
/// dir and packed there with versions unique to this run, so no NuGet cache can hand back another build.
/// Komlogd.Sdk comes from this build's sdk-feed; packing uses a packages folder of its own for the same reason.
/// </summary>
public sealed class TestFeed : IDisposable
{
    private readonly TempDir _dir = new("feed");
    private int _packs;

    /// <summary>The feed folder holding the packed .nupkg files.</summary>
    public string Folder => _dir["feed"];

    /// <summary>This build's Komlogd.Sdk feed (src/Komlogd.Core's output).</summary>
    public static string SdkFeed => Repo.Output("src/Komlogd.Core", "sdk-feed");

    /// <summary>A version no earlier run used: <c>major.minor.patch</c> with random parts below 65535.</summary>
    public static string UniqueVersion(int major) =>
        $"{major}.{Random.Shared.Next(1, 60000)}.{Random.Shared.Next(1, 60000)}";

    /// <summary>Copies a test package's project folder (e.g. "TestPkg.Basic") to <paramref name="to"/>.</summary>
    public static string CopyPackage(string package, string to)
    {
        var from = Path.Combine(Repo.Root, "tests", "TestPackages", package);
        Directory.CreateDirectory(to);
        foreach (var file in Directory.GetFiles(from))
        {
            File.Copy(file, Path.Combine(to, Path.GetFileName(file)));
        }
        return to;
    }

    /// <summary>
    /// Packs a test package into <see cref="Folder"/> with these MSBuild properties; returns the .nupkg.
    /// Komlogd.Sdk comes from <paramref name="sdkFeed"/> (default: this build's, <see cref="SdkFeed"/>).
    /// </summary>
    public async Task<string> PackAsync(string package, string version, IReadOnlyDictionary<string, string>? properties = null, string? sdkFeed = null)
    {
        var work = CopyPackage(package, _dir[$"src-{Interlocked.Increment(ref _packs)}"]);
        List<string> args = ["pack", Path.Combine(work, package + ".csproj"), "-c", "Release", "-o", Folder, "-nologo", "-nodeReuse:false",
            "--source", sdkFeed ?? SdkFeed, "--source", "https://api.nuget.org/v3/index.json", $"-p:Version={version}"];
        args.AddRange((properties ?? new Dictionary<string, string>()).Select(p => $"-p:{p.Key}={p.Value}"));
        // A packages folder of its own: NuGet would hand back a cached Komlogd.Sdk of the same version.
        await Dotnet.RunAsync(args, work, new Dictionary<string, string?> { ["NUGET_PACKAGES"] = _dir["packages"] }).ConfigureAwait(false);
        return Path.Combine(Folder, $"{package}.{version}.nupkg");
    }

    public void Dispose() => _dir.Dispose();
}
