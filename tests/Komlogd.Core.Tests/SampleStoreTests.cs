using Komlogd.Core.Store;

namespace Komlogd.Core.Tests;

public sealed class SampleStoreTests : IDisposable
{
    private readonly TempDir _dir = new("store");

    [Fact]
    public void ANewStoreRecordsItsSchemaVersion()
    {
        using var store = SampleStore.Open(_dir["data/komlogd.db"]);
        Assert.Equal(1, store.SchemaVersion);
    }

    [Fact]
    public void ReopeningAStoreKeepsItsSamplesAndDoesNotReapplyMigrations()
    {
        using (var store = SampleStore.Open(_dir["k.db"]))
        {
            store.Insert([new NewSample("a.b", SampleType.Datapoint, 1000, "1.50")]);
        }
        using var again = SampleStore.Open(_dir["k.db"]);

        var sample = Assert.Single(again.Get("a.b"));
        Assert.Equal("1.50", sample.Value);
        Assert.Equal(DateTimeOffset.FromUnixTimeMilliseconds(1000), sample.T);
        Assert.Equal(1, again.SchemaVersion);
    }

    [Fact]
    public void ASampleAtTheSameMillisecondReplacesByDefaultAndMovesOnWhenAsked()
    {
        using var store = SampleStore.Open(_dir["k.db"]);
        store.Insert([new NewSample("u", SampleType.Datasource, 5, "first")]);
        store.Insert([new NewSample("u", SampleType.Datasource, 5, "second")]);
        var moved = store.Insert([new NewSample("u", SampleType.Datasource, 5, "third")], SampleConflict.NextFreeMillisecond);

        Assert.Equal([6L], moved);
        Assert.Equal(["third", "second"], store.Get("u").Select(s => s.Value));
    }

    [Fact]
    public void ABatchWithOneBadSampleStoresNone()
    {
        using var store = SampleStore.Open(_dir["k.db"]);
        store.Insert([new NewSample("n", SampleType.Datapoint, 1, "1")]);

        var e = Assert.Throws<KomlogdException>(() => store.Insert([
            new NewSample("ok", SampleType.Datasource, 1, "fine"),
            new NewSample("n", SampleType.Datasource, 2, "text"),
        ]));

        Assert.Equal("uri 'n' holds datapoints; a datasource cannot be stored there", e.Message);
        Assert.Empty(store.Get("ok"));
        Assert.Single(store.Get("n"));
    }

    [Theory]
    [InlineData("1e3x", "datapoint value '1e3x' is not a decimal number")]
    [InlineData("", "datapoint value '' is not a decimal number")]
    public void ADatapointMustBeADecimal(string value, string rule) =>
        Assert.Equal(rule, SampleStore.Check(new NewSample("a", SampleType.Datapoint, 0, value)));

    [Fact]
    public void TimeRangesAndCountsSelectNewestFirst()
    {
        using var store = SampleStore.Open(_dir["k.db"]);
        store.Insert(Enumerable.Range(0, 10).Select(i => new NewSample("r", SampleType.Datapoint, i * 1000L, $"{i}")).ToList());

        var range = store.Get("r", DateTimeOffset.FromUnixTimeSeconds(2), DateTimeOffset.FromUnixTimeSeconds(6), count: 3);

        Assert.Equal(["6", "5", "4"], range.Select(s => s.Value));
    }

    [Fact]
    public void AGlobalUriTheStoreLacksReadsAsNothing()
    {
        using var store = SampleStore.Open(_dir["k.db"]);
        store.Insert([new NewSample("x.y", SampleType.Datapoint, 1, "1")]);

        Assert.Empty(store.Get("bob:x.y"));
        Assert.Single(store.Get("x.y"));
    }

    public void Dispose() => _dir.Dispose();
}
