using Komlogd.Sdk;
using Komlogd.Sdk.Hosting;
using Komlogd.Sdk.Testing;

namespace MyPkg.Tests;

/// <summary>
/// The package's methods run against Komlogd.Sdk's in-memory runtime: no agent, no store. What they insert
/// lands in <see cref="MemoryRuntime.Samples"/>.
/// </summary>
public class LoadTests
{
    private static readonly DateTimeOffset T = new(2026, 1, 1, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public void TheTransferMethodDeclarationsAreAccepted()
    {
        var methods = TransferMethodDiscovery.Find(typeof(Load).Assembly, new Load());

        Assert.Equal(["MyPkg.Load.Check", "MyPkg.Load.CollectAsync"], methods.Select(m => m.Name).Order());
    }

    [Fact]
    public async Task CollectStoresTheLoadAverage()
    {
        var runtime = new MemoryRuntime();
        using var _ = KomlogdRuntime.Use(runtime);

        await Load.CollectAsync(T, CancellationToken.None);

        var sample = Assert.Single(runtime.Samples);
        Assert.Equal(Load.Load1m, sample.Metric);
        Assert.True((decimal)sample.Value >= 0);
    }

    [Fact]
    public void ParseLoadReadsTheFirstField() => Assert.Equal(0.42m, Load.ParseLoad("0.42 0.31 0.25 1/123 4567\n"));

    [Theory]
    [InlineData("0.5", 0)]
    [InlineData("100000", 1)]
    public void CheckMarksAHighLoadAsAnAnomaly(string load, int anomalous)
    {
        var runtime = new MemoryRuntime();
        using var _ = KomlogdRuntime.Use(runtime);

        Load.Check(T, [new Sample(Load.Load1m, T, decimal.Parse(load, System.Globalization.CultureInfo.InvariantCulture))]);

        var sample = Assert.Single(runtime.Samples);
        Assert.Equal(Load.HighLoad, sample.Metric);
        Assert.Equal((decimal)anomalous, sample.Value);
    }
}
