using Komlogd.Core.Installation;

namespace Komlogd.Installer.Tests;

/// <summary>install: values split like a shell splits words and read like pip's arguments.</summary>
public sealed class InstallSpecTests
{
    private const string Base = "/home/alice/.komlogd";

    [Theory]
    [InlineData("Kpack.Linux", "*")]
    [InlineData("Kpack.Linux --prerelease", "*-*")]
    [InlineData("Kpack.Linux==0.3.0", "[0.3.0, 0.3.0]")]
    [InlineData("Kpack.Linux>=0.3", "[0.3.0, )")]
    [InlineData("Kpack.Linux>0.3", "(0.3.0, )")]
    [InlineData("Kpack.Linux~=1.4.2", "[1.4.2, 1.5.0)")]
    [InlineData("Kpack.Linux~=1.4", "[1.4.0, 2.0.0)")]
    [InlineData("Kpack.Linux>=1.0,<2.0", "[1.0.0, 2.0.0)")]
    public void ReadsNuGetIdsAndMapsPipVersionSpecifiersToNuGetRanges(string text, string range)
    {
        var spec = InstallSpec.Parse(text, Base);
        var source = Assert.Single(spec.Sources);
        Assert.Equal(SourceKind.NuGet, source.Kind);
        Assert.Equal("Kpack.Linux", source.Location);
        var version = spec.NuGetVersionString(source);
        // An exact range prints as [v]; compare as ranges.
        Assert.Equal(NuGet.Versioning.VersionRange.Parse(range), NuGet.Versioning.VersionRange.Parse(version));
    }

    [Theory]
    [InlineData("./feed/Kpack.Linux.0.3.0.nupkg", SourceKind.Nupkg, "/home/alice/.komlogd/feed/Kpack.Linux.0.3.0.nupkg", null)]
    [InlineData("git+https://github.com/org/kpack.git@v0.3.0", SourceKind.Git, "https://github.com/org/kpack.git", "v0.3.0")]
    [InlineData("git+https://user@host.example/org/kpack.git", SourceKind.Git, "https://user@host.example/org/kpack.git", null)]
    [InlineData("git+file:///srv/repos/kpack@feature/x", SourceKind.Git, "file:///srv/repos/kpack", "feature/x")]
    [InlineData("https://host/kpack/archive/master.zip", SourceKind.Zip, "https://host/kpack/archive/master.zip", null)]
    [InlineData("../kpack.zip", SourceKind.Zip, "/home/alice/kpack.zip", null)]
    [InlineData("https://host/kpack/archive/master.tar.gz", SourceKind.TarGz, "https://host/kpack/archive/master.tar.gz", null)]
    [InlineData("./kpack-1.0.TGZ", SourceKind.TarGz, "/home/alice/.komlogd/kpack-1.0.TGZ", null)]
    [InlineData("git+ssh://git@git.example.org:2222/srv/kpack.git@v1", SourceKind.Git, "ssh://git@git.example.org:2222/srv/kpack.git", "v1")]
    [InlineData("./samples/kpack_linux", SourceKind.Directory, "/home/alice/.komlogd/samples/kpack_linux", null)]
    [InlineData("'/srv/my packages/kpack'", SourceKind.Directory, "/srv/my packages/kpack", null)]
    public void ReadsEachKindOfSource(string text, SourceKind kind, string location, string? gitRef)
    {
        var source = Assert.Single(InstallSpec.Parse(text, Base).Sources);
        Assert.Equal(kind, source.Kind);
        Assert.Equal(location, source.Location);
        Assert.Equal(gitRef, source.GitRef);
    }

    [Fact]
    public void SeveralSourcesGoIntoOneLineEachWithItsOwnVersionAndTheOptionsForAll()
    {
        var spec = InstallSpec.Parse("Kpack.Linux==0.3.0 Other ./k.tar.gz -U --source ./feed --prerelease", Base);

        Assert.Equal(["Kpack.Linux==0.3.0", "Other", "./k.tar.gz"], spec.Sources.Select(s => s.Text));
        Assert.Equal([SourceKind.NuGet, SourceKind.NuGet, SourceKind.TarGz], spec.Sources.Select(s => s.Kind));
        Assert.Equal("[0.3.0, 0.3.0]", spec.NuGetVersionString(spec.Sources[0]));
        Assert.Equal("*-*", spec.NuGetVersionString(spec.Sources[1]));
        Assert.True(spec.Upgrade);
        Assert.Equal(["/home/alice/.komlogd/feed"], spec.Feeds);
    }

    [Fact]
    public void ReadsEveryOption()
    {
        var spec = InstallSpec.Parse("git+file:///r@v1 -U --force-reinstall --source ./feed --source=https://f.example/v3/index.json --project src/K/K.csproj", Base);
        Assert.True(spec.Upgrade);
        Assert.True(spec.ForceReinstall);
        Assert.Equal(["/home/alice/.komlogd/feed", "https://f.example/v3/index.json"], spec.Feeds);
        Assert.Equal("src/K/K.csproj", spec.Project);
    }

    [Theory]
    [InlineData("Kpack --frobnicate", "unknown option '--frobnicate'")]
    [InlineData("Kpack.Linux==", "'==' is not a version specifier")]
    [InlineData("Kpack.Linux==abc", "'==abc' is not a version specifier")]
    [InlineData("Kpack.Linux!=1.0", "cannot tell what 'Kpack.Linux!=1.0' is")]
    [InlineData("Kpack.Linux~=1", "~= needs at least two version parts")]
    [InlineData("./a ./b --project K.csproj", "--project applies to a single source; this line has 2 ('./a', './b'): give that source a block of its own")]
    [InlineData("Kpack ; touch x", "cannot tell what ';' is")]
    [InlineData("--upgrade", "nothing to install")]
    [InlineData("Kpack --source", "--source needs a value")]
    [InlineData("'Kpack", "unterminated ' quote")]
    [InlineData("Kpack --project K.csproj", "--project applies to git, archive and directory sources only")]
    [InlineData("./k --project ../../etc/K.csproj", "must be a relative path to a .csproj inside the source")]
    [InlineData("https://host/kpack", "a URL must be git+URL[@ref] or end in .zip, .tar.gz or .tgz")]
    [InlineData("'git+ext::sh -c touch% x'", "use git+https://, git+http://, git+ssh:// or git+file://")]
    [InlineData("git+file:///r@", "empty ref after '@'")]
    public void RejectsMistakesWithOneLine(string text, string error)
    {
        var e = Assert.Throws<InstallException>(() => InstallSpec.Parse(text, Base));
        Assert.Contains(error, e.Message, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', e.Message);
    }
}
