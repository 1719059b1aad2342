using Komlogd.Core.Store;

namespace Komlogd.Core.Tests;

public sealed class SampleStoreTests : IDisposable
{
    private readonly TempDir _dir = new("store");

    [Fact]
    public void ANewStoreRecordsItsSchemaVersion()
    {
        using var store = SampleStore.Open(_dir["data/komlogd.db"]);
        Assert.Equal(Migrations.All[^1].Version, store.SchemaVersion);
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
        Assert.Equal(Migrations.All[^1].Version, again.SchemaVersion);
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

    [Fact]
    public void ABatchLongerThanOneStatementStoresEveryRowOfEveryUri()
    {
        using var store = SampleStore.Open(_dir["k.db"]);
        // Three full multi-row statements and a shorter last one, two uris interleaved.
        var n = (3 * SampleStore.RowsPerStatement) + 5;
        var rows = Enumerable.Range(0, n)
            .Select(i => i % 3 == 0 ? new NewSample("t.text", SampleType.Datasource, i, $"s{i}") : new NewSample("t.n", SampleType.Datapoint, i, $"{i}.5"))
            .ToList();

        var stored = store.Insert(rows);

        Assert.Equal(rows.Select(r => r.TimeMs), stored);
        Assert.Equal(rows.Where(r => r.Uri == "t.n").Select(r => r.Value).Reverse(), store.Get("t.n").Select(s => s.Value));
        Assert.Equal(rows.Where(r => r.Uri == "t.text").Select(r => r.Value).Reverse(), store.Get("t.text").Select(s => s.Value));
    }

    [Fact]
    public void ALaterSampleOfABatchAtTheSameTimeWins()
    {
        using var store = SampleStore.Open(_dir["k.db"]);
        // 1 and 2 share one multi-row statement; 3 comes in the next one.
        var rows = Enumerable.Range(0, SampleStore.RowsPerStatement + 1).Select(i => new NewSample("w", SampleType.Datapoint, 1000 + i, "0")).ToList();
        rows[1] = rows[1] with { TimeMs = 7, Value = "1" };
        rows[2] = rows[2] with { TimeMs = 7, Value = "2" };
        rows[^1] = rows[^1] with { TimeMs = 7, Value = "3" };

        store.Insert(rows);

        Assert.Equal("3", Assert.Single(store.Get("w", SampleTime.FromMs(7), SampleTime.FromMs(7))).Value);
        Assert.Equal(rows.Count - 2, store.Get("w").Count);
    }

    [Fact]
    public void AUriNewToTheStoreThatABatchUsesForBothTypesIsNotCreated()
    {
        using var store = SampleStore.Open(_dir["k.db"]);

        var e = Assert.Throws<KomlogdException>(() => store.Insert([
            new NewSample("new.u", SampleType.Datapoint, 1, "1"),
            new NewSample("other", SampleType.Datapoint, 1, "1"),
            new NewSample("new.u", SampleType.Datasource, 2, "text"),
        ]));

        Assert.Equal("uri 'new.u' holds datapoints; a datasource cannot be stored there", e.Message);
        Assert.Empty(store.List());
    }

    [Fact]
    public void ABatchSQLiteRefusesMidwayStoresNothing()
    {
        var file = _dir["k.db"];
        using var store = SampleStore.Open(file);
        using (var db = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={file};Pooling=False"))
        {
            db.Open();
            using var trigger = db.CreateCommand();
            trigger.CommandText = "CREATE TRIGGER refuse BEFORE INSERT ON samples WHEN NEW.value = 'bad' BEGIN SELECT RAISE(ABORT, 'refused by test'); END";
            trigger.ExecuteNonQuery();
        }
        // The refused row is in the second multi-row statement: the first one's rows must go too.
        var rows = Enumerable.Range(0, (2 * SampleStore.RowsPerStatement) + 3)
            .Select(i => new NewSample("x", SampleType.Datasource, i, i == SampleStore.RowsPerStatement + 1 ? "bad" : "ok"))
            .ToList();

        // SQLite's own refusal reaches the caller as the store's failure, with SQLite's error inside.
        var e = Assert.Throws<StoreFailedException>(() => store.Insert(rows));

        Assert.IsType<Microsoft.Data.Sqlite.SqliteException>(e.InnerException);
        Assert.Contains("refused by test", e.InnerException.Message, StringComparison.Ordinal);
        Assert.Contains("nothing of this batch of 67 was stored", e.Message, StringComparison.Ordinal);
        Assert.Empty(store.Get("x"));
        Assert.Empty(store.List());
        store.Insert([new NewSample("x", SampleType.Datasource, 1, "after")]);
        Assert.Equal("after", Assert.Single(store.Get("x")).Value);
    }

    [Fact]
    public void TextIsStoredAsUtf8AsWritten()
    {
        using var store = SampleStore.Open(_dir["k.db"]);
        var texts = new[] { "", "plain", "ünïcödé ✓ 𝄞", "nul\0inside", new string('x', 5000) + "é" };

        store.Insert(texts.Select((v, i) => new NewSample("t", SampleType.Datasource, i, v)).ToList());

        Assert.Equal(texts.Reverse(), store.Get("t").Select(s => s.Value));
    }

    public void Dispose() => _dir.Dispose();
}
