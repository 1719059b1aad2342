using System.Text.Json;
using Komlogd.Core.Installation;

namespace Komlogd.Core.Tests;

/// <summary>
/// What the agent reads by hand of its installs (the installer child's lines, a venv's manifest) against what
/// the serializer writes them as (<see cref="InstallerJson"/>, <see cref="VenvManifest.Write"/>).
/// </summary>
public sealed class InstallerWireTests : IDisposable
{
    private readonly TempDir _dir = new("installer-wire");

    public static TheoryData<string> Lines => [.. LineCases.Keys];

    private static readonly Dictionary<string, InstallerLine> LineCases = new()
    {
        ["progress"] = new("default: restoring Kpack.Linux \"1.0\" <ü>", null),
        ["installed"] = new(null, new InstallerResult("default", "/h/.komlogd/.venvs/default", VenvInstallOutcome.Installed, null, 7123.456)),
        ["up to date"] = new(null, new InstallerResult("v2", "/d", VenvInstallOutcome.UpToDate, null, 0)),
        ["failed"] = new(null, new InstallerResult("bad", "/d/bad", VenvInstallOutcome.Failed, "restore failed:\nNU1101 ü", 1e-3)),
    };

    [Theory]
    [MemberData(nameof(Lines))]
    public void TheChildsLineReadsBackAsItWasWritten(string name)
    {
        var line = LineCases[name];
        var json = JsonSerializer.Serialize(line, InstallerJson.Default.InstallerLine);

        var read = InstallerProcess.Parse(json);

        Assert.Equal(line, read);
    }

    [Theory]
    [InlineData("hello from the runtime")]
    [InlineData("{\"neither\":1}")]
    [InlineData("{\"result\":{\"name\":\"x\"}}")]
    [InlineData("{\"result\":{\"name\":\"x\",\"directory\":\"d\",\"outcome\":\"Exploded\",\"elapsedMs\":1}}")]
    [InlineData("{broken")]
    public void ALineThatIsNotTheChildsIsNotARead(string line) => Assert.Null(InstallerProcess.Parse(line));

    [Fact]
    public void TheManifestsPackagesReadAsTheSerializerReadsThem()
    {
        var manifest = new VenvManifest(VenvManifest.CurrentFormat, "default", [new AskedBlock(3, "Kpack.Linux==1.0")],
            [new ResolvedPackage("Kpack.Linux", "1.0.0", "nuget", 3, Sha512: "abc=="), new ResolvedPackage("Local", "0.0.0-local", "/src/ü pkg", 4, Sha256: "00ff", Commit: "deadbeef")],
            "Komlogd.Venv.dll", DateTimeOffset.UnixEpoch, "sha");
        manifest.Write(_dir.Path);

        Assert.Equal(VenvManifest.TryRead(_dir.Path)!.Packages, VenvManifest.TryReadPackages(_dir.Path)!);
        Assert.Equal(2, VenvManifest.TryReadPackages(_dir.Path)!.Count);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("{not json")]
    [InlineData("{\"format\":1}")]
    public void AMissingOrBrokenManifestHasNoPackagesToRead(string? text)
    {
        if (text is not null)
        {
            File.WriteAllText(Path.Combine(_dir.Path, VenvManifest.FileName), text);
        }

        Assert.Null(VenvManifest.TryReadPackages(_dir.Path));
    }

    public void Dispose() => _dir.Dispose();
}
