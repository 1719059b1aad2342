using Komlogd.Core.Store;

namespace Komlogd.Core.Tests;

/// <summary>The store's export cursor (migration 2): commit order, replaced values, filters, saved positions.</summary>
public sealed class SampleCursorTests : IDisposable
{
    private readonly TempDir _dir = new("cursor");

    private static NewSample Point(string uri, long t, string value) => new(uri, SampleType.Datapoint, t, value);

    [Fact]
    public void ReadSinceReturnsRowsInCommitOrderNotTimeOrder()
    {
        using var store = SampleStore.Open(_dir["k.db"]);
        store.Insert([Point("a", 300, "3"), Point("a", 100, "1")]);
        store.Insert([Point("b", 50, "5")]);

        var page = store.ReadSince(0, 10, SampleType.Datapoint);

        Assert.Equal([("a", 300L), ("a", 100L), ("b", 50L)], page.Samples.Select(s => (s.Uri, s.TimeMs)));
        Assert.Equal(page.Samples.Select(s => s.Seq).Order(), page.Samples.Select(s => s.Seq));
        Assert.Equal(store.LastSeq, page.LastSeq);
        Assert.Empty(store.ReadSince(page.LastSeq, 10, SampleType.Datapoint).Samples);
        Assert.Equal(page.LastSeq, store.ReadSince(page.LastSeq, 10, SampleType.Datapoint).LastSeq);
    }

    [Fact]
    public void AReplacedValueGetsANewSequenceNumber()
    {
        using var store = SampleStore.Open(_dir["k.db"]);
        store.Insert([Point("a", 1, "1"), Point("a", 2, "2")]);
        var before = store.ReadSince(0, 10, SampleType.Datapoint);

        store.Insert([Point("a", 1, "10")]);

        var after = store.ReadSince(before.LastSeq, 10, SampleType.Datapoint);
        var replaced = Assert.Single(after.Samples);
        Assert.Equal(("a", 1L, "10"), (replaced.Uri, replaced.TimeMs, replaced.Value));
        Assert.True(replaced.Seq > before.LastSeq);
        // The old row's number is gone: read from the start, the value appears once, at its new place.
        Assert.Equal(["2", "10"], store.ReadSince(0, 10, SampleType.Datapoint).Samples.Select(s => s.Value));
    }

    [Fact]
    public void ALaterRowOfOneBatchAtTheSameTimeKeepsTheLaterNumber()
    {
        using var store = SampleStore.Open(_dir["k.db"]);
        store.Insert([Point("a", 1, "1"), Point("b", 1, "2"), Point("a", 1, "3")]);

        Assert.Equal([("b", "2"), ("a", "3")], store.ReadSince(0, 10, SampleType.Datapoint).Samples.Select(s => (s.Uri, s.Value)));
    }

    [Fact]
    public void TextSamplesAndFilteredUrisAreSkippedButTheLimitCountsThemAndTheCursorMovesPast()
    {
        using var store = SampleStore.Open(_dir["k.db"]);
        store.Insert([new NewSample("t", SampleType.Datasource, 1, "text"), Point("x.no", 1, "1"), Point("x.yes", 1, "2")]);
        store.Insert([Point("x.yes", 2, "3")]);

        var first = store.ReadSince(0, 2, SampleType.Datapoint, uri => uri != "x.no");
        Assert.Empty(first.Samples);
        Assert.Equal(2, first.LastSeq - 0);

        var second = store.ReadSince(first.LastSeq, 2, SampleType.Datapoint, uri => uri != "x.no");
        Assert.Equal(["2", "3"], second.Samples.Select(s => s.Value));
        Assert.Equal(store.LastSeq, second.LastSeq);
    }

    [Fact]
    public void SamplesMovedToTheNextFreeMillisecondGetSequenceNumbersToo()
    {
        using var store = SampleStore.Open(_dir["k.db"]);
        store.Insert([Point("a", 5, "1")]);
        store.Insert([Point("a", 5, "2"), Point("a", 5, "3")], SampleConflict.NextFreeMillisecond);

        Assert.Equal([(5L, "1"), (6L, "2"), (7L, "3")], store.ReadSince(0, 10, SampleType.Datapoint).Samples.Select(s => (s.TimeMs, s.Value)));
    }

    [Fact]
    public void ReadLatestGivesTheNewestSampleOfEachUriOfTheTypeAndTheLastSeq()
    {
        using var store = SampleStore.Open(_dir["k.db"]);
        store.Insert([Point("a", 2, "2"), Point("a", 1, "1"), Point("b", 7, "7"), Point("c", 1, "9")]);
        store.Insert([new NewSample("t", SampleType.Datasource, 9, "text")]);

        var latest = store.ReadLatest(SampleType.Datapoint, uri => uri != "c");

        Assert.Equal([("a", 2L, "2"), ("b", 7L, "7")], latest.Samples.Select(s => (s.Uri, s.TimeMs, s.Value)).OrderBy(x => x.Uri));
        Assert.Equal(store.LastSeq, latest.LastSeq);
    }

    [Fact]
    public void CursorsAreKeptByTargetAcrossReopening()
    {
        using (var store = SampleStore.Open(_dir["k.db"]))
        {
            Assert.Null(store.LoadCursor("https://a/api/v1/write"));
            store.SaveCursor("https://a/api/v1/write", 5);
            store.SaveCursor("https://a/api/v1/write", 7);
            store.SaveCursor("https://b/api/v1/write", 1);
        }
        using var again = SampleStore.Open(_dir["k.db"]);

        Assert.Equal(7, again.LoadCursor("https://a/api/v1/write"));
        Assert.Equal(1, again.LoadCursor("https://b/api/v1/write"));
    }

    [Fact]
    public void AVersion1StoreIsMigratedKeepingEveryRowWithItsRowidAsItsNumber()
    {
        var file = _dir["v1.db"];
        OldStore.Create(file, migrations: 1, applied: "(1, 0)", rows: """
            INSERT INTO metrics(id, uri, type) VALUES (1, 'a', 2), (2, 't', 1);
            INSERT INTO samples(rowid, metric_id, t, value) VALUES (4, 1, 10, '1.5'), (9, 2, 11, 'text'), (12, 1, 5, '2');
            """);

        using var store = SampleStore.Open(file);

        Assert.Equal(Migrations.All[^1].Version, store.SchemaVersion);
        Assert.Equal([(4L, 10L, "1.5"), (12L, 5L, "2")], store.ReadSince(0, 10, SampleType.Datapoint).Samples.Select(s => (s.Seq, s.TimeMs, s.Value)));
        Assert.Equal(["text"], store.Get("t").Select(s => s.Value));
        store.Insert([Point("a", 10, "3")]);
        Assert.Equal((13L, "3"), store.ReadSince(12, 10, SampleType.Datapoint).Samples.Select(s => (s.Seq, s.Value)).Single());
    }

    public void Dispose() => _dir.Dispose();
}
