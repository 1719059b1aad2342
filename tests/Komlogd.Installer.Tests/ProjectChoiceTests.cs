using Komlogd.Core.Installation;

namespace Komlogd.Installer.Tests;

/// <summary>Which .csproj of a git, zip or directory source is the package.</summary>
public sealed class ProjectChoiceTests : IDisposable
{
    private readonly TempDir _src = new("src");

    [Fact]
    public void TakesTheProjectNearestTheRootAndSkipsBuildOutput()
    {
        Touch("src/Kpack/Kpack.csproj");
        Touch("tests/deeper/Kpack.Tests/Kpack.Tests.csproj");
        Touch("src/Kpack/obj/Stale/Stale.csproj");
        Assert.Equal(_src["src/Kpack/Kpack.csproj"], SourceFetcher.FindProject(_src.Path, Spec("./x"), "block 2"));
    }

    [Fact]
    public void AsksForProjectWhenTwoAreEquallyNear()
    {
        Touch("src/A/A.csproj");
        Touch("src/B/B.csproj");
        var e = Assert.Throws<InstallException>(() => SourceFetcher.FindProject(_src.Path, Spec("./x"), "block 2"));
        Assert.Equal("block 2: several projects (src/A/A.csproj, src/B/B.csproj); choose one with --project PATH", e.Message);
        Assert.Equal(_src["src/B/B.csproj"], SourceFetcher.FindProject(_src.Path, Spec("./x --project src/B/B.csproj"), "block 2"));
    }

    [Fact]
    public void SaysSoWhenTheChosenProjectIsNotThere()
    {
        Touch("src/A/A.csproj");
        var e = Assert.Throws<InstallException>(() => SourceFetcher.FindProject(_src.Path, Spec("./x --project src/C/C.csproj"), "block 2"));
        Assert.Equal("block 2: --project src/C/C.csproj does not exist in the source", e.Message);
    }

    private static InstallSpec Spec(string text) => InstallSpec.Parse(text, "/c");

    private void Touch(string relative)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(_src[relative])!);
        File.WriteAllText(_src[relative], "<Project />");
    }

    public void Dispose() => _src.Dispose();
}
