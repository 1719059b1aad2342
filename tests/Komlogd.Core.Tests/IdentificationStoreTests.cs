using System.Collections.Concurrent;
using Komlogd.Core.Store;
using Komlogd.Identification;
using Microsoft.Data.Sqlite;

namespace Komlogd.Core.Tests;

/// <summary>Identification at commit, on a real SQLite file: extracted datapoints, supplies, the model's state, migration 5.</summary>
public sealed class IdentificationStoreTests : IDisposable
{
    private const string Used = "host.df.dev_vda.Used";
    private readonly TempDir _dir = new("identstore");

    private static NewSample Text(long t, string text, string uri = "host.df") => new(uri, SampleType.Datasource, t, text);

    private static NewSample Point(string uri, long t, string value) => new(uri, SampleType.Datapoint, t, value);

    [Fact]
    public void TheFixedDfTextListsTheRootRowsUsedBlocksAtItsIndex()
    {
        Assert.Equal(14976628m, NumberFinder.Find(DfTexts.First)[DfTexts.RootUsedIndex - 1].Value);
    }

    [Fact]
    public void ACommittedTextWritesItsAutomaticDatapointsAtItsTimeInTheSameCommit()
    {
        using var store = SampleStore.Open(_dir["k.db"]);

        var result = store.Insert([Text(1000, DfTexts.First)]);
        var second = store.Insert([Text(2000, DfTexts.Second)]);

        Assert.Contains(result.Extracted, s => s.Uri == Used && s.TimeMs == 1000 && s.Value == "14976628");
        Assert.Contains(second.Extracted, s => s.Uri == "host.df.dev_vda.Use_pct" && s.TimeMs == 2000 && s.Value == "16");
        Assert.Equal(["14976928@2000", "14976628@1000"], store.Get(Used).Select(s => $"{s.Value}@{SampleTime.ToMs(s.T)}"));
        Assert.All(store.List("host.df").Where(u => u.Uri != "host.df"), u => Assert.Equal(SampleType.Datapoint, u.Type));
    }

    [Fact]
    public void ATextStampedNowIsExtractedAtTheMillisecondItWasStoredAt()
    {
        using var store = SampleStore.Open(_dir["k.db"]);
        store.Insert([Text(1000, "x")]);

        var moved = store.Insert([Text(1000, DfTexts.First)], SampleConflict.NextFreeMillisecond);

        Assert.Equal([1001L], moved.Times);
        Assert.Equal(1001, SampleTime.ToMs(Assert.Single(store.Get(Used)).T));
    }

    [Fact]
    public void AnExtractionNeverReplacesADatapointWrittenExplicitlyInTheBatchOrBefore()
    {
        using var store = SampleStore.Open(_dir["k.db"]);
        store.Insert([Point("host.df.dev_vda.Available", 1000, "5")]);

        var result = store.Insert([Point(Used, 1000, "7"), Text(1000, DfTexts.First)]);

        Assert.Equal("7", Assert.Single(store.Get(Used)).Value);
        Assert.Equal("5", Assert.Single(store.Get("host.df.dev_vda.Available")).Value);
        Assert.DoesNotContain(result.Extracted, s => s.Uri == Used || s.Uri == "host.df.dev_vda.Available");
        Assert.Contains(result.Extracted, s => s.Uri == "host.df.dev_vda.1K-blocks");
    }

    [Fact]
    public void SuppliesNoneCreatesNothingAndIsKeptForLaterTexts()
    {
        using var store = SampleStore.Open(_dir["k.db"]);

        var first = store.Insert([Text(1000, DfTexts.First)], supplies: new Dictionary<string, IReadOnlyList<string>?> { ["host.df"] = [] });
        var later = store.Insert([Text(2000, DfTexts.Second)]);

        Assert.Empty(first.Extracted);
        Assert.Empty(later.Extracted);
        Assert.Equal(["host.df"], store.List().Select(u => u.Uri));
    }

    [Fact]
    public void SuppliesListingNamesCreateOnlyThoseAndAbsentAgainCreatesAll()
    {
        using var store = SampleStore.Open(_dir["k.db"]);

        var only = store.Insert([Text(1000, DfTexts.First)], supplies: new Dictionary<string, IReadOnlyList<string>?> { ["host.df"] = ["dev_vda.Used"] });
        var all = store.Insert([Text(2000, DfTexts.Second)], supplies: new Dictionary<string, IReadOnlyList<string>?> { ["host.df"] = null });

        Assert.Equal([Used], only.Extracted.Select(s => s.Uri));
        Assert.True(all.Extracted.Count > 10);
    }

    [Fact]
    public void ATextIdenticalToTheStoredOneExtractsNothingAgain()
    {
        using var store = SampleStore.Open(_dir["k.db"]);
        store.Insert([Text(1000, DfTexts.First)]);

        var again = store.Insert([Text(1000, DfTexts.First)]);

        Assert.Equal(1, again.UnchangedCount);
        Assert.Empty(again.Extracted);
    }

    [Fact]
    public void ANameWhoseUriHoldsTextsIsSkippedAndTheBatchStored()
    {
        using var store = SampleStore.Open(_dir["k.db"]);
        store.Insert([Text(1, "a text", Used)]);

        var result = store.Insert([Text(1000, DfTexts.First)]);

        Assert.DoesNotContain(result.Extracted, s => s.Uri == Used);
        Assert.Single(store.Get("host.df"));
        Assert.Equal(SampleType.Datasource, Assert.Single(store.Get(Used)).Type);
    }

    [Fact]
    public void A128KiBTableOf20000NumbersIsCommittedWithTheCappedAutomaticDatapoints()
    {
        // As BoundTexts.Table in the identification tests: a header, 2,000 labelled rows of ten numbers.
        var b = new System.Text.StringBuilder("row a b c d e f g h i j\n");
        for (var i = 0; i < 20_000; i++)
        {
            b.Append(i % 10 == 0 ? $"r{i / 10}" : "").Append(' ').Append(i).Append(i % 10 == 9 ? "\n" : "");
        }
        using var store = SampleStore.Open(_dir["k.db"]);

        var result = store.Insert([Text(1000, b.ToString(), "big.table")]);

        Assert.True(b.Length < 128 * 1024, $"{b.Length} characters");
        Assert.Equal(DatasourceModel.DefaultAutomaticCap, result.Extracted.Count);
        Assert.Equal("0", Assert.Single(store.Get("big.table.r0.a")).Value);
    }

    [Fact]
    public void ABatchOfDatapointsLeavesTheModelsAlone()
    {
        using var store = SampleStore.Open(_dir["k.db"]);

        var result = store.Insert([Point("a.b", 1, "1"), Point("a.b", 2, "2")]);

        Assert.Empty(result.Extracted);
        Assert.Equal(0L, Scalar(_dir["k.db"], "SELECT COUNT(*) FROM datasource_models"));
    }

    [Fact]
    public void TheModelAndSuppliesPersistAcrossReopening()
    {
        using (var store = SampleStore.Open(_dir["k.db"]))
        {
            store.Insert([Text(1000, DfTexts.First)], supplies: new Dictionary<string, IReadOnlyList<string>?> { ["host.df"] = ["dev_vda.Used", "x"] });
        }
        Assert.Equal("[\"dev_vda.Used\",\"x\"]", Scalar(_dir["k.db"], "SELECT supplies FROM datasource_models"));
        Assert.Contains("dev_vda.Used", (string)Scalar(_dir["k.db"], "SELECT model FROM datasource_models")!, StringComparison.Ordinal);

        using var again = SampleStore.Open(_dir["k.db"]);
        var result = again.Insert([Text(2000, DfTexts.Second)]);

        Assert.Equal([Used], result.Extracted.Select(s => s.Uri));
    }

    [Fact]
    public void ExtractedDatapointsReachSubscribersInTheSameNoticeAsTheirText()
    {
        using var store = SampleStore.Open(_dir["k.db"]);
        var hub = new SampleHub(store);
        var heard = new Heard();
        hub.Subscribe(heard, ["host.df", Used]);

        hub.Insert([Text(1000, DfTexts.First)]);
        hub.Insert([Text(1000, DfTexts.First)]);

        Assert.Equal(["host.df@1000", $"{Used}@1000"], heard.Samples.Select(s => $"{s.Uri}@{SampleTime.ToMs(s.T)}"));
        Assert.Equal(1, heard.Calls);
        Assert.Equal("14976628", heard.Samples.Last().Value);
    }

    [Fact]
    public void AStoreOfThePreviousSchemaGetsMigration5AndIdentifiesItsNextText()
    {
        var file = _dir["v4.db"];
        OldStore.Create(file, migrations: 2, applied: "(1, 0), (2, 0), (4, 0)", rows: """
            INSERT INTO metrics(id, uri, type) VALUES (1, 'host.df', 1), (2, 'host.load', 2);
            INSERT INTO samples(seq, metric_id, t, value) VALUES (1, 1, 10, 'old text'), (2, 2, 10, '0.5');
            """);

        using var store = SampleStore.Open(file);
        var result = store.Insert([Text(1000, DfTexts.First)]);

        Assert.Equal(5, store.SchemaVersion);
        Assert.Equal(["14976628"], store.Get(Used).Select(s => s.Value));
        Assert.Equal(["0.5"], store.Get("host.load").Select(s => s.Value));
        Assert.Equal(2, store.Get("host.df").Count);
        Assert.Equal(result.Extracted.Count, store.ReadSince(2, 1000, SampleType.Datapoint).Samples.Count);
    }

    private static object? Scalar(string file, string sql)
    {
        using var db = new SqliteConnection($"Data Source={file};Pooling=False;Mode=ReadOnly");
        db.Open();
        using var cmd = db.CreateCommand();
        cmd.CommandText = sql;
        return cmd.ExecuteScalar();
    }

    private sealed class Heard : ISampleSubscriber
    {
        public ConcurrentQueue<StoredSample> Samples { get; } = new();
        private int _calls;

        public int Calls => _calls;

        public void OnSamples(IReadOnlyList<StoredSample> samples, string? ownRun)
        {
            foreach (var s in samples)
            {
                Samples.Enqueue(s);
            }
            Interlocked.Increment(ref _calls);
        }
    }

    public void Dispose() => _dir.Dispose();
}
