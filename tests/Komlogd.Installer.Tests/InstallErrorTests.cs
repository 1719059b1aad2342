using System.IO.Compression;
using Komlogd.Core.Installation;

namespace Komlogd.Installer.Tests;

/// <summary>Each way a venv cannot be installed fails that venv with one clear line; the others install.</summary>
public sealed class InstallErrorTests : IDisposable
{
    private readonly Installs _t = new();

    [Fact]
    public async Task TheSamePackageTwiceInOneVenvFailsThatVenvBeforeAnyBuild()
    {
        var error = await FailsAsync(("TestPkg.Basic==1.0.0", "default"), ("TestPkg.Basic==1.0.0", "default"));
        Assert.Equal("venv default: package 'TestPkg.Basic' is asked for twice (block 2 'TestPkg.Basic==1.0.0', block 3 'TestPkg.Basic==1.0.0'); remove one block", error);
        Assert.Equal(0, _t.ToolRuns("dotnet"));
    }

    [Fact]
    public async Task TwoVersionsOfOnePackageInOneVenvFailThatVenvBeforeAnyBuild()
    {
        var error = await FailsAsync(("TestPkg.Versioned==1.0.0", "default"), ("TestPkg.Versioned==2.0.0", "default"));
        Assert.Equal("venv default: two versions of package 'TestPkg.Versioned' in one venv (block 2 'TestPkg.Versioned==1.0.0', block 3 'TestPkg.Versioned==2.0.0'); put them in different venvs", error);
        Assert.Equal(0, _t.ToolRuns("dotnet"));
    }

    [Fact]
    public async Task APackageThatDoesNotExistFailsWithNuGetsError()
    {
        var id = $"Komlogd.Test.NoSuchPackage{Guid.NewGuid():N}";
        var error = await FailsAsync((id, "default"));
        Assert.StartsWith("venv default: dotnet publish failed: NU1101: ", error, StringComparison.Ordinal);
        Assert.Contains($"Unable to find package {id}", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ABadGitRefFailsSayingSo()
    {
        var repo = await GitRepoAsync();
        var error = await FailsAsync(($"git+file://{repo}@nosuchref", "default"));
        Assert.Equal($"venv default: block 2 'git+file://{repo}@nosuchref': ref 'nosuchref' is not a tag, branch or commit of file://{repo}", error);
    }

    [Fact]
    public async Task AZipWithoutAProjectFailsSayingSo()
    {
        Directory.CreateDirectory(_t["zipsrc/kpack-master"]);
        File.WriteAllText(_t["zipsrc/kpack-master/README.md"], "no project here");
        ZipFile.CreateFromDirectory(_t["zipsrc"], _t["kpack.zip"]);
        var error = await FailsAsync((_t["kpack.zip"], "default"));
        Assert.Equal($"venv default: block 2 '{_t["kpack.zip"]}': no .csproj in the source", error);
        Assert.Equal(0, _t.ToolRuns("dotnet"));
    }

    [Fact]
    public async Task OneNupkgInTwoBlocksOfAVenvIsAskedForTwice()
    {
        var nupkg = _t["Kpack.Local.1.0.0.nupkg"];
        using (var zip = ZipFile.Open(nupkg, ZipArchiveMode.Create))
        {
            using var writer = new StreamWriter(zip.CreateEntry("Kpack.Local.nuspec").Open());
            writer.Write("""<?xml version="1.0"?><package xmlns="http://schemas.microsoft.com/packaging/2013/05/nuspec.xsd"><metadata><id>Kpack.Local</id><version>1.0.0</version></metadata></package>""");
        }
        var error = await FailsAsync((nupkg, "default"), (nupkg, "default"));
        Assert.Equal($"venv default: package 'Kpack.Local' is asked for twice (block 2 '{nupkg}', block 3 '{nupkg}'); remove one block", error);
        Assert.Equal(0, _t.ToolRuns("dotnet"));
    }

    [Fact]
    public async Task AZipWithAnEntryOutsideItsFolderFailsThatVenvAndWritesNothingThere()
    {
        var zip = _t["evil.zip"];
        using (var archive = ZipFile.Open(zip, ZipArchiveMode.Create))
        {
            using var writer = new StreamWriter(archive.CreateEntry("../../../../evil.txt").Open());
            writer.Write("outside");
        }
        var error = await FailsAsync((zip, "default"));
        Assert.StartsWith("venv default: ", error, StringComparison.Ordinal);
        Assert.Empty(Directory.EnumerateFiles(_t.Home, "evil.txt", SearchOption.AllDirectories));
    }

    [Fact]
    public async Task ATarGzWithAnEntryOutsideItsFolderFailsThatVenvAndWritesNothingThere()
    {
        var tgz = _t["evil.tar.gz"];
        await using (var output = File.Create(tgz))
        await using (var gzip = new GZipStream(output, CompressionLevel.Fastest))
        await using (var tar = new System.Formats.Tar.TarWriter(gzip))
        {
            var entry = new System.Formats.Tar.PaxTarEntry(System.Formats.Tar.TarEntryType.RegularFile, "../../../../evil.txt")
            {
                DataStream = new MemoryStream("outside"u8.ToArray()),
            };
            await tar.WriteEntryAsync(entry);
        }
        var error = await FailsAsync((tgz, "default"));
        Assert.Contains("outside", error, StringComparison.Ordinal);
        Assert.Empty(Directory.EnumerateFiles(_t.Home, "evil.txt", SearchOption.AllDirectories));
        Assert.Equal(0, _t.ToolRuns("dotnet"));
    }

    [Fact]
    public async Task AFileThatIsNotATarGzFailsSayingSo()
    {
        File.WriteAllText(_t["kpack.tar.gz"], "not gzip at all");
        var error = await FailsAsync((_t["kpack.tar.gz"], "default"));
        Assert.StartsWith($"venv default: block 2 '{_t["kpack.tar.gz"]}': not a tar.gz archive (", error, StringComparison.Ordinal);
        Assert.Equal(0, _t.ToolRuns("dotnet"));
    }

    [Fact]
    public async Task AProjectThatDoesNotCompileFailsWithTheCompilersFirstError()
    {
        var dir = TestFeed.CopyPackage("TestPkg.Basic", _t["broken"]);
        File.WriteAllText(Path.Combine(dir, "Broken.cs"), "namespace TestPkg.Basic;\npublic class Broken {\n");
        var error = await FailsAsync((dir, "default"));
        Assert.True(System.Text.RegularExpressions.Regex.IsMatch(error, @"^venv default: dotnet publish failed: src/b2/Broken\.cs\(\d+,\d+\): CS1513: } expected$"), error);
        // The compiler's full output is in the log.
        Assert.Contains("error CS1513", SharedFile.Read(_t.LogFile), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("TestPkg.Basic --frobnicate", "block 2 'TestPkg.Basic --frobnicate': unknown option '--frobnicate'")]
    [InlineData("TestPkg.Basic===1", "block 2 'TestPkg.Basic===1': 'TestPkg.Basic===1': '===1' is not a version specifier")]
    [InlineData("\"TestPkg.Basic", "block 2 '\"TestPkg.Basic': unterminated \" quote")]
    public async Task AnUnknownOptionOrAnUnparseableSpecFailsBeforeAnyTool(string install, string expected)
    {
        var error = await FailsAsync((install, "default"));
        Assert.True(error.StartsWith("venv default: " + expected, StringComparison.Ordinal), error);
        Assert.Equal(0, _t.ToolRuns("dotnet"));
    }

    /// <summary>
    /// Shell syntax in <c>install:</c> is never run: it is refused, or taken as the literal text it is
    /// (a git ref named "$(touch x)" simply does not exist).
    /// </summary>
    [Theory]
    [InlineData("; touch x", "cannot tell what ';' is")]
    [InlineData("$(touch x)", "cannot tell what '$(touch' is")]
    [InlineData("TestPkg.Basic; touch x", "cannot tell what 'TestPkg.Basic;' is")]
    [InlineData("`touch x`", "cannot tell what '`touch' is")]
    [InlineData("'git+file://REPO@--upload-pack=touch x'", "'--upload-pack=touch x' is not a valid git ref (it must not begin with '-')")]
    [InlineData("'git+file://REPO@-c core.sshCommand=touch x'", "is not a valid git ref (it must not begin with '-')")]
    [InlineData("'git+file://REPO@$(touch x)'", "ref '$(touch x)' is not a tag, branch or commit")]
    [InlineData("'git+ext::sh -c touch% x'", "use git+https://, git+http://, git+ssh:// or git+file://")]
    public async Task ShellSyntaxInTheSpecCreatesNoFile(string install, string expected)
    {
        var repo = await GitRepoAsync();
        var error = await FailsAsync((install.Replace("REPO", repo, StringComparison.Ordinal), "default"));
        Assert.True(error.Contains(expected, StringComparison.Ordinal), error);
        Assert.Empty(Directory.EnumerateFiles(_t.Home, "x", SearchOption.AllDirectories));
        Assert.False(File.Exists(Path.Combine(Environment.CurrentDirectory, "x")));
    }

    [Fact]
    public async Task KomlogdInstallPrintsOneStderrLinePerFailedVenvAndInstallsTheOthers()
    {
        var good = TestFeed.CopyPackage("TestPkg.Basic", _t["good"]);
        _t.Configure((good, "good"), ("TestPkg.Basic --frobnicate", "bad"), ("'Kpack", "worse"));

        var run = await _t.Cli.RunAsync("install");

        Assert.True(run.ExitCode == 1, run.ToString());
        Assert.Equal([
            "venv bad: block 3 'TestPkg.Basic --frobnicate': unknown option '--frobnicate' (options: -U/--upgrade, --force-reinstall, --source FEED, --prerelease, --project PATH)",
            "venv worse: block 4 ''Kpack': unterminated ' quote",
        ], run.ErrorLines);
        Assert.True(File.Exists(Path.Combine(_t.VenvsDir, "good", "publish", "Komlogd.Venv.dll")), run.ToString());
        Assert.Contains("venv good: installed in", run.Stdout, StringComparison.Ordinal);

        var unknown = await _t.Cli.RunAsync("install", "--venv", "nosuch");
        Assert.Equal(2, unknown.ExitCode);
        Assert.Equal(["no enabled package block uses venv 'nosuch' (venvs: good, bad, worse)"], unknown.ErrorLines);
    }

    [Fact]
    public async Task ASecondInstallerOnTheSameConfigDirIsRefusedWithOneLine()
    {
        var config = _t.Configure(("TestPkg.Basic", "default"));
        Directory.CreateDirectory(_t.VenvsDir);
        using (new FileStream(Path.Combine(_t.VenvsDir, ".lock"), FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None))
        {
            var e = await Assert.ThrowsAsync<Komlogd.Core.KomlogdException>(() => _t.InstallAsync(config));
            Assert.Equal($"another komlogd is installing venvs in {_t.VenvsDir}; try again when it is done", e.Message);
        }
        Assert.Equal(0, _t.ToolRuns("dotnet"));
    }

    private async Task<string> FailsAsync(params (string Install, string Venv)[] blocks)
    {
        var results = await _t.InstallAsync(_t.Configure(blocks));
        var failed = Assert.Single(results, r => r.Outcome == VenvInstallOutcome.Failed);
        Assert.NotNull(failed.Error);
        Assert.DoesNotContain('\n', failed.Error);
        Assert.False(failed.IsUsable);
        Assert.False(Directory.Exists(failed.Directory));
        return failed.Error;
    }

    /// <summary>A repository with a package project and a tag v1.</summary>
    private async Task<string> GitRepoAsync()
    {
        var repo = TestFeed.CopyPackage("TestPkg.Basic", _t["repo"]);
        await Installs.GitAsync(repo, "init", "--quiet");
        await Installs.GitAsync(repo, "add", "-A");
        await Installs.GitAsync(repo, "commit", "--quiet", "-m", "v1");
        await Installs.GitAsync(repo, "tag", "v1");
        return repo;
    }

    public void Dispose() => _t.Dispose();
}
