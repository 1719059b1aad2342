using System.Text;
using CliWrap;
using CliWrap.Buffered;

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

    /// <summary>Packs a test package into <see cref="Folder"/> with these MSBuild properties; returns the .nupkg.</summary>
    public async Task<string> PackAsync(string package, string version, IReadOnlyDictionary<string, string>? properties = null)
    {
        var work = CopyPackage(package, _dir[$"src-{Interlocked.Increment(ref _packs)}"]);
        List<string> args = ["pack", Path.Combine(work, package + ".csproj"), "-c", "Release", "-o", Folder, "-nologo", "-nodeReuse:false",
            "--source", SdkFeed, "--source", "https://api.nuget.org/v3/index.json", $"-p:Version={version}"];
        args.AddRange((properties ?? new Dictionary<string, string>()).Select(p => $"-p:{p.Key}={p.Value}"));
        var result = await Cli.Wrap("dotnet")
            .WithArguments(args)
            .WithWorkingDirectory(work)
            .WithEnvironmentVariables(e => e.Set("NUGET_PACKAGES", _dir["packages"]).Set("MSBUILDDISABLENODEREUSE", "1"))
            .WithValidation(CommandResultValidation.None)
            .ExecuteBufferedAsync(Encoding.UTF8)
            .ConfigureAwait(false);
        if (result.ExitCode != 0)
        {
            throw new InvalidOperationException($"dotnet pack {package} {version} failed:\n{result.StandardOutput}\n{result.StandardError}");
        }
        return Path.Combine(Folder, $"{package}.{version}.nupkg");
    }

    public void Dispose() => _dir.Dispose();
}
