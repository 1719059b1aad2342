using Komlogd.Core.Installation;

namespace Komlogd.Installer.Tests;

/// <summary>
/// NuGet reuses an extracted package of the same id and version whatever the feed now holds: the private
/// packages folder drops a local package's copy when its .nupkg hash changes (Komlogd.Sdk 0.1.0 is rebuilt
/// all the time).
/// </summary>
public sealed class PackagesFolderTests : IDisposable
{
    private readonly TempDir _venvs = new("venvs");

    [Fact]
    public void DropsTheExtractedCopyOfALocalPackageWhoseHashChanged()
    {
        var folder = new PackagesFolder(_venvs.Path);
        var extracted = Path.Combine(folder.Path, "komlogd.sdk", "0.1.0");
        Directory.CreateDirectory(extracted);

        // Never recorded: whatever is there may be another build.
        folder.InvalidateChanged([("Komlogd.Sdk", "0.1.0", "aaaa")]);
        Assert.False(Directory.Exists(extracted));

        // Same hash as recorded: NuGet's copy is the right one and stays.
        Directory.CreateDirectory(extracted);
        folder.InvalidateChanged([("Komlogd.Sdk", "0.1.0", "aaaa")]);
        Assert.True(Directory.Exists(extracted));

        // Rebuilt under the same version.
        folder.InvalidateChanged([("Komlogd.Sdk", "0.1.0", "bbbb")]);
        Assert.False(Directory.Exists(extracted));
    }

    public void Dispose() => _venvs.Dispose();
}
