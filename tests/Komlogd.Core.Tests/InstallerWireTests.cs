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
    public void TheManifestReadsAsTheSerializerReadsIt()
    {
        var manifest = new VenvManifest(VenvManifest.CurrentFormat, "default", [new AskedBlock(3, "Kpack.Linux==1.0"), new AskedBlock(5, "./ü pkg")],
            [new ResolvedPackage("Kpack.Linux", "1.0.0", "nuget", 3, Sha512: "abc=="), new ResolvedPackage("Local", "0.0.0-local", "/src/ü pkg", 5, Sha256: "00ff", Commit: "deadbeef")],
            "publish/Komlogd.Venv.dll", new DateTimeOffset(2026, 12, 4, 5, 6, 7, 891, TimeSpan.FromHours(2)).AddTicks(2345), null);
        manifest.Write(_dir.Path);
        var serializer = JsonSerializer.Deserialize(File.ReadAllText(Path.Combine(_dir.Path, VenvManifest.FileName)), InstallJson.Default.VenvManifest);

        var read = VenvManifest.TryRead(_dir.Path);

        Assert.Equivalent(serializer, read, strict: true);
        Assert.Equivalent(manifest, read, strict: true);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("{not json")]
    [InlineData("{\"format\":1}")]
    [InlineData("{\"format\":\"1\",\"venv\":\"v\",\"asked\":[],\"packages\":[],\"entryAssembly\":\"e\",\"installedAt\":\"2026-12-04T00:00:00+00:00\"}")]
    [InlineData("{\"format\":1,\"venv\":\"v\",\"asked\":[],\"packages\":[],\"entryAssembly\":\"e\",\"installedAt\":\"yesterday\"}")]
    public void AMissingOrBrokenManifestIsNoManifest(string? text)
    {
        if (text is not null)
        {
            File.WriteAllText(Path.Combine(_dir.Path, VenvManifest.FileName), text);
        }

        Assert.Null(VenvManifest.TryRead(_dir.Path));
    }

    public void Dispose() => _dir.Dispose();
}
