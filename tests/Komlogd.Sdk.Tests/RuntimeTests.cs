using Komlogd.Sdk.Hosting;

namespace Komlogd.Sdk.Tests;

public sealed class RuntimeTests
{
    private static readonly DateTimeOffset T0 = new(2025, 1, 1, 0, 0, 0, TimeSpan.Zero);

    [Fact]
    public void InsertValidatesThenReachesTheRuntime()
    {
        var runtime = new MemoryRuntime();
        using var _ = KomlogdRuntime.Use(runtime);
        new Datasource("host.df").Insert(T0.AddTicks(1234), "text");
        new Datapoint("host.load").Insert(T0.ToOffset(TimeSpan.FromHours(2)), 0.5m);
        new Anomaly(new Datapoint("host.load")).Insert(T0, 1);

        Assert.Throws<ArgumentException>(() => new Anomaly(new Datapoint("host.load")).Insert(T0, 2));
        Assert.Equal(
            [
                new Sample(new Datasource("host.df"), T0, "text"),
                new Sample(new Datapoint("host.load"), T0, 0.5m),
                new Sample(new Datapoint("host.load._anomaly"), T0, 1m),
            ],
            runtime.Samples);
        Assert.All(runtime.Samples, s => Assert.Equal(TimeSpan.Zero, s.T.Offset));
    }

    [Fact]
    public async Task GetAsyncReturnsWhatTheRuntimeFindsNewestFirst()
    {
        var runtime = new MemoryRuntime();
        using var _ = KomlogdRuntime.Use(runtime);
        var load = new Datapoint("host.load");
        for (var i = 0; i < 5; i++)
        {
            load.Insert(T0.AddMinutes(i), i);
        }
        new Datapoint("other").Insert(T0, 9);

        var all = await load.GetAsync();
        Assert.Equal([4m, 3m, 2m, 1m, 0m], all.Select(s => (decimal)s.Value));
        var window = await load.GetAsync(start: T0.AddMinutes(1), end: T0.AddMinutes(3));
        Assert.Equal([3m, 2m, 1m], window.Select(s => (decimal)s.Value));
        var last2 = await load.GetAsync(count: 2);
        Assert.Equal([4m, 3m], last2.Select(s => (decimal)s.Value));
        Assert.Empty(await new Datasource("host.load").GetAsync());
    }

    [Fact]
    public async Task GetAsyncChecksItsBoundsBeforeAskingTheRuntime()
    {
        using var _ = KomlogdRuntime.Use(new MemoryRuntime());
        var load = new Datapoint("host.load");
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => load.GetAsync(count: 0));
        var e = await Assert.ThrowsAsync<ArgumentException>(() => load.GetAsync(start: T0.AddMinutes(1), end: T0));
        Assert.StartsWith("start 2025-01-01T00:01:00.0000000+00:00 is after end 2025-01-01T00:00:00.0000000+00:00", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task UseIsScopedToTheAsyncFlowAndRestoredOnDispose()
    {
        var outer = new MemoryRuntime();
        var inner = new MemoryRuntime();
        using (KomlogdRuntime.Use(outer))
        {
            using (KomlogdRuntime.Use(inner))
            {
                await Task.Run(() => new Datapoint("a").Insert(T0, 1));
            }
            new Datapoint("a").Insert(T0, 2);
        }
        Assert.Equal([1m], inner.Samples.Select(s => (decimal)s.Value));
        Assert.Equal([2m], outer.Samples.Select(s => (decimal)s.Value));
    }
}

/// <summary>Tests that touch the process-wide runtime; never in parallel with each other.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class GlobalRuntimeCollection
{
    public const string Name = "global runtime";
}

[Collection(GlobalRuntimeCollection.Name)]
public sealed class GlobalRuntimeTests
{
    [Fact]
    public async Task WithoutARuntimeInsertAndGetSayHowToAttachOne()
    {
        Assert.Null(KomlogdRuntime.Current);
        var e = Assert.Throws<InvalidOperationException>(() => new Datapoint("a").Insert(DateTimeOffset.UtcNow, 1));
        Assert.StartsWith("No komlogd runtime is attached", e.Message, StringComparison.Ordinal);
        Assert.Contains("KomlogdRuntime.Use(", e.Message, StringComparison.Ordinal);
        await Assert.ThrowsAsync<InvalidOperationException>(() => new Datapoint("a").GetAsync());
    }

    [Fact]
    public void ABadValueIsRefusedEvenWithoutARuntime() =>
        Assert.Throws<ArgumentException>(() => new Anomaly(new Datapoint("a")).Insert(DateTimeOffset.UtcNow, 5));

    [Fact]
    public void TheHostsRuntimeIsUsedUnlessAFlowOverridesIt()
    {
        var host = new MemoryRuntime();
        var scoped = new MemoryRuntime();
        KomlogdRuntime.Current = host;
        try
        {
            new Datapoint("a").Insert(DateTimeOffset.UnixEpoch, 1);
            using (KomlogdRuntime.Use(scoped))
            {
                Assert.Same(scoped, KomlogdRuntime.Current);
                new Datapoint("a").Insert(DateTimeOffset.UnixEpoch, 2);
            }
            Assert.Same(host, KomlogdRuntime.Current);
        }
        finally
        {
            KomlogdRuntime.Current = null;
        }
        Assert.Single(host.Samples);
        Assert.Single(scoped.Samples);
    }
}
