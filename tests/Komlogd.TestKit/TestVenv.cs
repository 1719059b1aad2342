using System.Text;
using CliWrap;
using CliWrap.Buffered;

namespace Komlogd.TestKit;

/// <summary>
/// Publishes a venv the way the installer lays it out (publish/Komlogd.Venv.dll, whose direct dependencies
/// are the packages), from test packages in tests/TestPackages copied to a temp dir. Restores see this
/// build's SDK feed and use a packages folder private to the test run, so a rebuilt Komlogd.Sdk 0.1.0 is
/// never shadowed by a stale copy in ~/.nuget/packages.
/// </summary>
public static class TestVenv
{
    public static string SdkFeed => Path.Combine(Path.GetDirectoryName(Repo.KomlogdDll)!, "sdk-feed");

    public static string PackagesFolder { get; } =
        Path.Combine(Path.GetTempPath(), "komlogd-tests", $"nuget-{Environment.ProcessId}");

    /// <summary>A package to put in the venv: a folder of tests/TestPackages and MSBuild properties for it.</summary>
    public sealed record Package(string Name, IReadOnlyDictionary<string, string>? Properties = null);

    /// <summary>Publishes into <paramref name="venvDir"/>; returns the full path of publish/Komlogd.Venv.dll.</summary>
    public static async Task<string> PublishAsync(string venvDir, params Package[] packages)
    {
        var src = Path.Combine(venvDir, "src");
        var project = Path.Combine(venvDir, "project");
        Directory.CreateDirectory(project);
        var refs = new StringBuilder();
        foreach (var (p, i) in packages.Select((p, i) => (p, i)))
        {
            var copy = Path.Combine(src, $"{p.Name}-{i}");
            CopyDir(Path.Combine(Repo.Root, "tests", "TestPackages", p.Name), copy);
            // Restore ignores a ProjectReference's AdditionalProperties: the package's own folder carries them.
            // RestorePackagesPath too: each referenced project restores on its own, and would otherwise take a
            // stale Komlogd.Sdk 0.1.0 from ~/.nuget/packages.
            var props = $"<RestorePackagesPath>{PackagesFolder}</RestorePackagesPath>"
                + string.Concat((p.Properties ?? new Dictionary<string, string>()).Select(kv => $"<{kv.Key}>{kv.Value}</{kv.Key}>"));
            await File.WriteAllTextAsync(Path.Combine(copy, "Directory.Build.props"), $"<Project><PropertyGroup>{props}</PropertyGroup></Project>").ConfigureAwait(false);
            refs.AppendLine($"""    <ProjectReference Include="{copy}/{p.Name}.csproj" />""");
        }
        await File.WriteAllTextAsync(Path.Combine(project, "Komlogd.Venv.csproj"), $"""
            <Project Sdk="Microsoft.NET.Sdk">
              <PropertyGroup>
                <TargetFramework>net10.0</TargetFramework>
                <AssemblyName>Komlogd.Venv</AssemblyName>
                <ImportDirectoryBuildProps>false</ImportDirectoryBuildProps>
                <ManagePackageVersionsCentrally>false</ManagePackageVersionsCentrally>
                <RestorePackagesPath>{PackagesFolder}</RestorePackagesPath>
              </PropertyGroup>
              <ItemGroup>
            {refs}  </ItemGroup>
            </Project>
            """).ConfigureAwait(false);
        // At the venv root: referenced projects under src/ restore with the settings of their own folder.
        await File.WriteAllTextAsync(Path.Combine(venvDir, "nuget.config"), $"""
            <?xml version="1.0" encoding="utf-8"?>
            <configuration>
              <packageSources>
                <add key="komlogd-sdk" value="{SdkFeed}" />
              </packageSources>
            </configuration>
            """).ConfigureAwait(false);
        var publish = Path.Combine(venvDir, "publish");
        var result = await Cli.Wrap("dotnet")
            .WithArguments(["publish", project, "-c", "Release", "-o", publish, "--nologo"])
            .WithWorkingDirectory(project)
            .WithValidation(CommandResultValidation.None)
            .ExecuteBufferedAsync().ConfigureAwait(false);
        if (result.ExitCode != 0)
        {
            throw new InvalidOperationException($"dotnet publish failed:\n{result.StandardOutput}\n{result.StandardError}");
        }
        return Path.Combine(publish, "Komlogd.Venv.dll");
    }

    public static void CopyDir(string from, string to)
    {
        Directory.CreateDirectory(to);
        foreach (var file in Directory.EnumerateFiles(from, "*", SearchOption.AllDirectories))
        {
            var relative = Path.GetRelativePath(from, file);
            if (relative.StartsWith("bin", StringComparison.Ordinal) || relative.StartsWith("obj", StringComparison.Ordinal))
            {
                continue;
            }
            var target = Path.Combine(to, relative);
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(file, target, overwrite: true);
        }
    }
}
