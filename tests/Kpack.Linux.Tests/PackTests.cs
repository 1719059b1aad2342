using System.IO.Compression;
using System.Reflection;
using System.Runtime.Loader;
using Komlogd.Sdk;
using Komlogd.Sdk.Hosting;
using Kpack.Linux.Collection;

namespace Kpack.Linux.Tests;

/// <summary>
/// samples/kpack_linux builds on its own, as the agent builds `install: ./kpack_linux`: outside the repo's
/// props and central versions, against the Komlogd.Sdk package of this build's feed (artifacts/sdk-feed).
/// </summary>
public class PackTests : IDisposable
{
    private readonly string temp = Directory.CreateTempSubdirectory("kpack-pack-").FullName;

    public void Dispose()
    {
        Directory.Delete(temp, recursive: true);
        GC.SuppressFinalize(this);
    }

    [Fact]
    public async Task DotnetPackMakesAPackageThatDependsOnlyOnTheSdkAndDeclaresItsEntryPoint()
    {
        var root = RepoRoot();
        // bin/<Configuration>/net10.0: the SDK project was built with the same configuration as this test.
        var configuration = new DirectoryInfo(Path.TrimEndingDirectorySeparator(AppContext.BaseDirectory)).Parent!.Name;
        var feed = Path.Combine(root, "artifacts", "sdk-feed", configuration);
        Assert.True(File.Exists(Path.Combine(feed, "Komlogd.Sdk.0.1.0.nupkg")), $"no Komlogd.Sdk package in {feed}");
        var project = Path.Combine(temp, "kpack_linux");
        Copy(Path.Combine(root, "samples", "kpack_linux"), project);
        await File.WriteAllTextAsync(Path.Combine(temp, "nuget.config"), $"""
            <?xml version="1.0" encoding="utf-8"?>
            <configuration>
              <packageSources>
                <clear />
                <add key="komlogd-sdk" value="{feed}" />
              </packageSources>
            </configuration>
            """);

        var result = await CommandRunner.RunAsync(
            ["dotnet", "pack", project, "-c", "Release", "-o", Path.Combine(temp, "out"), "--nologo",
                $"-p:RestorePackagesPath={Path.Combine(temp, "packages")}"],
            new Dictionary<string, string> { ["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1", ["DOTNET_NOLOGO"] = "1" },
            TimeSpan.FromMinutes(5),
            CancellationToken.None);

        Assert.True(result is { ExitCode: 0 }, $"dotnet pack failed:\n{result?.Stdout}\n{result?.Stderr}");
        var nupkg = Path.Combine(temp, "out", "Kpack.Linux.0.1.0.nupkg");
        Assert.True(File.Exists(nupkg), string.Join(", ", Directory.GetFiles(Path.Combine(temp, "out"))));
        using (var zip = ZipFile.OpenRead(nupkg))
        {
            Assert.NotNull(zip.GetEntry("lib/net10.0/Kpack.Linux.dll"));
            Assert.NotNull(zip.GetEntry("README.md"));
            using var nuspec = new StreamReader(zip.GetEntry("Kpack.Linux.nuspec")!.Open());
            var text = await nuspec.ReadToEndAsync();
            var dependencies = System.Text.RegularExpressions.Regex.Matches(text, "<dependency id=\"([^\"]+)\"").Select(m => m.Groups[1].Value);
            Assert.Equal(["Komlogd.Sdk"], dependencies);
        }

        // Load the built assembly as the plugin host does: its own context, sharing this process's Komlogd.Sdk.
        var dll = Path.Combine(project, "bin", "Release", "net10.0", "Kpack.Linux.dll");
        var context = new SharedSdkContext(dll);
        try
        {
            var assembly = context.LoadFromAssemblyPath(dll);
            var attribute = assembly.GetCustomAttribute<KomlogdPackageAttribute>();
            Assert.NotNull(attribute);
            var entry = Activator.CreateInstance(attribute.EntryPoint!)!;
            var package = Assert.IsAssignableFrom<IKomlogdPackage>(entry);
            // The collection is bound at load, on the settings' minute (default: every minute), not declared.
            Assert.Empty(TransferMethodDiscovery.Find(assembly, entry));
            await package.LoadAsync(new TestContext(new ListLog()), CancellationToken.None);
            var method = Assert.Single(TransferMethods.Bound, m => m.Method.Target == entry);
            Assert.Equal("* * * * *", Assert.IsType<CronSchedule>(method.Schedule).ToCronExpression());
            Assert.True(method.Schedule.ExecOnLoad);
        }
        finally
        {
            context.Unload();
        }
    }

    private static string RepoRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Komlogd.sln")))
            {
                return dir.FullName;
            }
        }
        throw new InvalidOperationException("Komlogd.sln not found above the test's directory");
    }

    private static void Copy(string from, string to)
    {
        foreach (var file in Directory.EnumerateFiles(from, "*", SearchOption.AllDirectories))
        {
            var relative = Path.GetRelativePath(from, file);
            if (relative.StartsWith("bin" + Path.DirectorySeparatorChar, StringComparison.Ordinal) || relative.StartsWith("obj" + Path.DirectorySeparatorChar, StringComparison.Ordinal))
            {
                continue;
            }
            Directory.CreateDirectory(Path.GetDirectoryName(Path.Combine(to, relative))!);
            File.Copy(file, Path.Combine(to, relative));
        }
    }

    private sealed class SharedSdkContext(string dll) : AssemblyLoadContext(isCollectible: true)
    {
        private readonly AssemblyDependencyResolver resolver = new(dll);

        protected override Assembly? Load(AssemblyName assemblyName)
        {
            if (assemblyName.Name == typeof(Uris).Assembly.GetName().Name)
            {
                return typeof(Uris).Assembly;
            }
            return resolver.ResolveAssemblyToPath(assemblyName) is { } path ? LoadFromAssemblyPath(path) : null;
        }
    }
}
