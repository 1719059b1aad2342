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
    public void ReleasingTheCacheFreesThePagesOfBothConnectionsAndKeepsEverySample()
    {
        using var store = SampleStore.Open(_dir["cache.db"]);
        // A day and a half of a 130-uri package, a commit a minute: every page written stays in the cache.
        for (var minute = 0; minute < 2000; minute++)
        {
            store.Insert(Enumerable.Range(0, 130).Select(i => new NewSample($"h.m{i}", SampleType.Datapoint, minute * 60_000L, $"{minute}.{i}")).ToList());
        }
        var read = store.ReadSince(0, 100_000, SampleType.Datapoint); // the reading connection's pages
        var held = store.CacheBytes;
        Assert.True(held > 8 << 20, $"the cache held {held} bytes");

        store.ReleaseCache();

        Assert.True(store.CacheBytes < held / 16, $"{store.CacheBytes} of {held} bytes still held");
        Assert.Equal(100_000, read.Samples.Count);
        Assert.Equal(130 * 2000, store.ReadSince(0, 1_000_000, SampleType.Datapoint).Samples.Count);
        Assert.Equal("1999.129", store.Get("h.m129")[0].Value);
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

        Assert.Equal([6L], moved.Times);
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

        Assert.Equal(rows.Select(r => r.TimeMs), stored.Times);
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

        // In Microsoft.Data.Sqlite's words, as the store's errors read before it moved to SQLitePCLRaw's API.
        Assert.Equal("SQLite Error 19: 'refused by test'.", Assert.IsType<SqliteException>(e.InnerException).Message);
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

    [Fact]
    public void ASampleIdenticalToTheStoredOneChangesNothingAndIsToldApart()
    {
        using var store = SampleStore.Open(_dir["k.db"]);
        store.Insert(Enumerable.Range(0, 40).Select(i => new NewSample("i.n", SampleType.Datapoint, i, $"{i}")).ToList());

        // Two multi-row statements: older rows (identical, changed, new in the past) and rows after the newest.
        var rows = new List<NewSample>
        {
            new("i.n", SampleType.Datapoint, 3, "3"),     // identical
            new("i.n", SampleType.Datapoint, 4, "4.0"),   // same number, other text: a change (the store keeps text)
            new("i.n", SampleType.Datapoint, 5, "-5"),    // changed
            new("i.n", SampleType.Datapoint, -1, "-1"),   // new, older than everything
            new("i.other", SampleType.Datapoint, 3, "3"), // another metric at the same time: new
        };
        rows.AddRange(Enumerable.Range(100, SampleStore.RowsPerStatement).Select(i => new NewSample("i.n", SampleType.Datapoint, i, $"{i}")));
        rows.Add(new("i.n", SampleType.Datapoint, 39, "39")); // identical, in the second statement

        var result = store.Insert(rows);

        Assert.Equal(2, result.UnchangedCount);
        Assert.Equal([0, rows.Count - 1], Enumerable.Range(0, rows.Count).Where(i => !result.Changed(i)));
        Assert.Equal("-5", Assert.Single(store.Get("i.n", SampleTime.FromMs(5), SampleTime.FromMs(5))).Value);
        Assert.Equal(40 + 1 + SampleStore.RowsPerStatement, store.Get("i.n").Count);
    }

    [Fact]
    public void FreshSamplesAreAllChanged()
    {
        using var store = SampleStore.Open(_dir["k.db"]);
        store.Insert([new NewSample("f.n", SampleType.Datapoint, 1, "1")]);

        var result = store.Insert(Enumerable.Range(2, 70).Select(i => new NewSample("f.n", SampleType.Datapoint, i, "1")).ToList());

        Assert.Equal(0, result.UnchangedCount);
        Assert.True(result.Changed(69));
    }

    [Fact]
    public void TheConfiguredUsersGlobalUrisAreItsLocalOnesAndOtherUsersStayApart()
    {
        using var store = SampleStore.Open(_dir["k.db"], "alice");
        store.Insert([
            new NewSample("alice:g.x", SampleType.Datapoint, 1, "1"),
            new NewSample("g.x", SampleType.Datapoint, 2, "2"),
            new NewSample("bob:g.x", SampleType.Datapoint, 3, "3"),
            new NewSample("alice2:g.x", SampleType.Datapoint, 4, "4"),
        ]);

        Assert.Equal(["2", "1"], store.Get("g.x").Select(s => s.Value));
        Assert.Equal([("alice:g.x", "2"), ("alice:g.x", "1")], store.Get("alice:g.x").Select(s => (s.Uri, s.Value)));
        Assert.Equal(["3"], store.Get("bob:g.x").Select(s => s.Value));
        Assert.Equal(["alice2:g.x", "bob:g.x", "g.x"], store.List().Select(u => u.Uri));
        Assert.Equal(["g.x"], store.List("alice:g").Select(u => u.Uri));
        Assert.Equal(0, store.Insert([new NewSample("g.x", SampleType.Datapoint, 1, "1")]).Changed(0) ? 1 : 0);
    }

    [Fact]
    public void WithoutAUsernameAGlobalUriIsAMetricOfItsOwn()
    {
        using var store = SampleStore.Open(_dir["k.db"]);
        store.Insert([new NewSample("alice:g.x", SampleType.Datapoint, 1, "1")]);

        Assert.Empty(store.Get("g.x"));
        Assert.Single(store.Get("alice:g.x"));
    }

    public void Dispose() => _dir.Dispose();
}
