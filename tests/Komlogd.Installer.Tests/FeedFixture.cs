namespace Komlogd.Installer.Tests;

/// <summary>
/// One packed feed shared by the classes of the "feed" collection: TestPkg.Basic, and TestPkg.Versioned in
/// two versions whose Newtonsoft.Json dependencies conflict (v1: 12.0.3, v2: 13.0.3). Versions are new
/// each run.
/// </summary>
public sealed class FeedFixture : IAsyncLifetime
{
    public TestFeed Feed { get; } = new();
    public string BasicVersion { get; } = TestFeed.UniqueVersion(1);
    public string V1 { get; } = TestFeed.UniqueVersion(1);
    public string V2 { get; } = TestFeed.UniqueVersion(2);
    public string V1Nupkg { get; private set; } = "";
    public string V2Nupkg { get; private set; } = "";

    public async Task InitializeAsync()
    {
        var packs = await Task.WhenAll(
            Feed.PackAsync("TestPkg.Versioned", V1, new Dictionary<string, string> { ["NewtonsoftVersion"] = "12.0.3" }),
            Feed.PackAsync("TestPkg.Versioned", V2, new Dictionary<string, string> { ["NewtonsoftVersion"] = "13.0.3" }),
            Feed.PackAsync("TestPkg.Basic", BasicVersion));
        (V1Nupkg, V2Nupkg) = (packs[0], packs[1]);
    }

    public Task DisposeAsync()
    {
        Feed.Dispose();
        return Task.CompletedTask;
    }
}

[CollectionDefinition("feed")]
public sealed class FeedCollection : ICollectionFixture<FeedFixture>;
