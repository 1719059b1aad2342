using System.IO.Compression;
using Komlogd.Core.Installation;

namespace Komlogd.Installer.Tests;

/// <summary>Every kind of source, built for real in temp dirs, installs with the versions it asked for.</summary>
[Collection("feed")]
public sealed class SourceInstallTests(FeedFixture feed) : IDisposable
{
    private readonly Installs _t = new();

    [Fact]
    public async Task InstallsEachKindOfSourceIntoItsVenvWithTheRightVersions()
    {
        // A git repository whose tag v1 holds TestPkg.Basic 3.1.0 and whose HEAD (tag v2) holds 3.2.0.
        var repo = TestFeed.CopyPackage("TestPkg.Basic", _t["repo"]);
        await Installs.GitAsync(repo, "init", "--quiet");
        SetVersion(repo, "3.1.0");
        await Installs.GitAsync(repo, "add", "-A");
        await Installs.GitAsync(repo, "commit", "--quiet", "-m", "v1");
        await Installs.GitAsync(repo, "tag", "v1");
        var v1Commit = await Installs.GitAsync(repo, "rev-parse", "v1");
        SetVersion(repo, "3.2.0");
        await Installs.GitAsync(repo, "commit", "--quiet", "-am", "v2");
        await Installs.GitAsync(repo, "tag", "v2");

        // A GitHub-style archive: one top folder holding the project.
        SetVersion(TestFeed.CopyPackage("TestPkg.Basic", _t["zipsrc/kpack-master"]), "4.0.0");
        var zip = _t["kpack-master.zip"];
        ZipFile.CreateFromDirectory(_t["zipsrc"], zip);

        // The same archive served over HTTP at a GitHub-like path.
        using var server = new ZipServer("/org/kpack/archive/master.zip", zip);

        var dir = SetVersion(TestFeed.CopyPackage("TestPkg.Basic", _t["kpack_dir"]), "5.0.0");

        var config = _t.Configure(
            ($"TestPkg.Versioned=={feed.V1} --source {feed.Feed.Folder}", "nuget"),
            (feed.V2Nupkg, "nupkg"),
            ($"git+file://{repo}@v1", "git"),
            (zip, "zip"),
            (server.Url, "zipurl"),
            (dir, "dir"));
        var results = await _t.InstallAsync(config);

        Assert.All(results, r => Assert.True(r.Outcome == VenvInstallOutcome.Installed, r.Error));
        Assert.All(results, r => Assert.True(File.Exists(r.EntryAssembly), r.EntryAssembly));

        // v1 and v2 of one package, with Newtonsoft.Json 12.0.3 and 13.0.3, side by side in two venvs.
        var nuget = Installs.Venv(results, "nuget");
        Assert.Equal(feed.V1, Installs.DirectPackages(nuget)["TestPkg.Versioned"]);
        Assert.Equal("12.0.3", Installs.AllLibraries(nuget)["Newtonsoft.Json"]);
        Assert.StartsWith("12.0.3.", Installs.FileVersion(nuget, "Newtonsoft.Json.dll"), StringComparison.Ordinal);
        Assert.StartsWith(feed.V1 + ".", Installs.FileVersion(nuget, "TestPkg.Versioned.dll"), StringComparison.Ordinal);

        var nupkg = Installs.Venv(results, "nupkg");
        Assert.Equal(feed.V2, Installs.DirectPackages(nupkg)["TestPkg.Versioned"]);
        Assert.Equal("13.0.3", Installs.AllLibraries(nupkg)["Newtonsoft.Json"]);
        Assert.StartsWith("13.0.3.", Installs.FileVersion(nupkg, "Newtonsoft.Json.dll"), StringComparison.Ordinal);

        // The tag, not HEAD; the manifest names the commit.
        var git = Installs.Venv(results, "git");
        Assert.Equal("3.1.0", Installs.DirectPackages(git)["TestPkg.Basic"]);
        Assert.StartsWith("3.1.0.", Installs.FileVersion(git, "TestPkg.Basic.dll"), StringComparison.Ordinal);
        Assert.Equal(v1Commit, Assert.Single(git.Packages).Commit);
        Assert.Equal(v1Commit, Assert.Single(VenvManifest.TryRead(git.Directory)!.Packages).Commit);

        Assert.Equal("4.0.0", Installs.DirectPackages(Installs.Venv(results, "zip"))["TestPkg.Basic"]);
        Assert.Equal("4.0.0", Installs.DirectPackages(Installs.Venv(results, "zipurl"))["TestPkg.Basic"]);
        Assert.Equal(Installs.Venv(results, "zip").Packages.Single().Sha256, Installs.Venv(results, "zipurl").Packages.Single().Sha256);
        Assert.Equal("5.0.0", Installs.DirectPackages(Installs.Venv(results, "dir"))["TestPkg.Basic"]);

        // Every venv restored this build's Komlogd.Sdk, from the private packages folder.
        Assert.All(results, r => Assert.True(File.Exists(Path.Combine(r.Directory, "publish", "Komlogd.Sdk.dll"))));
        Assert.True(Directory.Exists(Path.Combine(_t.VenvsDir, ".nuget", "packages", "komlogd.sdk")));

        // The user's feeds are inherited (never cleared); Komlogd.Sdk and local .nupkg ids map to local folders only.
        var nugetConfig = System.Xml.Linq.XDocument.Load(Path.Combine(nuget.Directory, "nuget.config"));
        Assert.Empty(nugetConfig.Descendants("clear"));
        var mapping = nugetConfig.Descendants("packageSource").ToDictionary(e => (string)e.Attribute("key")!, e => e.Elements("package").Select(p => (string)p.Attribute("pattern")!).ToList());
        Assert.Equal(["Komlogd.Sdk"], mapping["komlogd-sdk"]);
        Assert.Equal(["*"], mapping["komlogd-source-1"]);
        Assert.Contains(mapping, m => m.Key is not ("komlogd-sdk" or "komlogd-source-1") && m.Value.SequenceEqual(["*"]));
        // Komlogd.Sdk from the config dir's copy of the feed, by a relative path: no venv names komlogd's own folder,
        // which a tool update replaces.
        var sdkSource = nugetConfig.Descendants("add").Single(e => (string)e.Attribute("key")! == "komlogd-sdk");
        Assert.Equal(Path.Combine("..", "..", "sdk-feed"), (string)sdkSource.Attribute("value")!);
        Assert.True(File.Exists(Path.Combine(_t.Cli.ConfigDir, "sdk-feed", "Komlogd.Sdk.0.1.0.nupkg")));
        var nupkgMapping = System.Xml.Linq.XDocument.Load(Path.Combine(nupkg.Directory, "nuget.config")).Descendants("packageSource")
            .Single(e => (string)e.Attribute("key")! == "komlogd-local");
        Assert.Equal(["TestPkg.Versioned"], nupkgMapping.Elements("package").Select(p => (string)p.Attribute("pattern")!));
    }

    [Fact]
    public async Task SeveralSourcesOfOneLineGoIntoOneVenvWithTarGzArchivesByUrlAndByPath()
    {
        // A GitHub-style tar.gz (git archive: one top folder, a pax global header) served on loopback.
        var basic = SetVersion(TestFeed.CopyPackage("TestPkg.Basic", _t["basic"]), "6.0.0");
        await Installs.GitAsync(basic, "init", "--quiet");
        await Installs.GitAsync(basic, "add", "-A");
        await Installs.GitAsync(basic, "commit", "--quiet", "-m", "v6");
        await Installs.GitAsync(basic, "archive", "--format=tar.gz", "--prefix=kpack-master/", "-o", _t["kpack-master.tar.gz"], "HEAD");
        using var server = new ZipServer("/org/kpack/archive/master.tar.gz", _t["kpack-master.tar.gz"]);
        // A .tgz of another package with no top folder, beside the configuration (a relative path).
        Directory.CreateDirectory(_t.Cli.ConfigDir);
        await TarGzAsync(TestFeed.CopyPackage("TestPkg.Writer", _t["writer"]), Path.Combine(_t.Cli.ConfigDir, "writer.tgz"));

        // ==version belongs to its id; --source to the whole line.
        var config = _t.Configure(($"TestPkg.Versioned=={feed.V1} {server.Url} writer.tgz --source {feed.Feed.Folder}", "multi"));
        var venv = Assert.Single(await _t.InstallAsync(config));

        Assert.True(venv.Outcome == VenvInstallOutcome.Installed, venv.Error);
        var direct = Installs.DirectPackages(venv);
        Assert.Equal(feed.V1, direct["TestPkg.Versioned"]);
        Assert.Equal("6.0.0", direct["TestPkg.Basic"]);
        Assert.Equal("1.0.0", direct["TestPkg.Writer"]);
        Assert.Equal("12.0.3", Installs.AllLibraries(venv)["Newtonsoft.Json"]);
        var sources = venv.Packages.ToDictionary(p => p.Id, p => p);
        Assert.All(sources.Values, p => Assert.Equal(2, p.Block));
        Assert.Equal($"tar.gz {server.Url}", sources["TestPkg.Basic"].Source);
        Assert.Equal(SourceFetcher.Sha256(_t["kpack-master.tar.gz"]), sources["TestPkg.Basic"].Sha256);
        Assert.Equal($"tar.gz {Path.Combine(_t.Cli.ConfigDir, "writer.tgz")}", sources["TestPkg.Writer"].Source);
        Assert.True(File.Exists(Path.Combine(venv.Directory, "src", "b2-2", "kpack-master", "TestPkg.Basic.csproj")));
        Assert.True(File.Exists(Path.Combine(venv.Directory, "src", "b2-3", "TestPkg.Writer.csproj")));
    }

    /// <summary>A .tar.gz of <paramref name="dir"/>'s files at its root, as System.Formats.Tar writes it.</summary>
    internal static async Task TarGzAsync(string dir, string file)
    {
        await using var output = File.Create(file);
        await using var gzip = new GZipStream(output, CompressionLevel.Fastest);
        await System.Formats.Tar.TarFile.CreateFromDirectoryAsync(dir, gzip, includeBaseDirectory: false);
    }

    private static string SetVersion(string projectDir, string version)
    {
        var csproj = Path.Combine(projectDir, "TestPkg.Basic.csproj");
        File.WriteAllText(csproj, System.Text.RegularExpressions.Regex.Replace(File.ReadAllText(csproj), ">[0-9.]+</Version>", $">{version}</Version>"));
        return projectDir;
    }

    public void Dispose() => _t.Dispose();
}
