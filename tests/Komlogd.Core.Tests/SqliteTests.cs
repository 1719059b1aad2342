using Komlogd.Core.Store;

namespace Komlogd.Core.Tests;

/// <summary>
/// The store's own SQLite connection (Store/Sqlite.cs, on SQLitePCLRaw's API): what a user sees when SQLite
/// refuses, a second connection's write lock, and a transaction left without a commit.
/// </summary>
public sealed class SqliteTests : IDisposable
{
    private readonly TempDir _dir = new("sqlite");

    [Fact]
    public void AFileThatIsNotADatabaseIsRefusedInOneLineAndLeftAsItWas()
    {
        var file = _dir["k.db"];
        File.WriteAllText(file, "not a database, but a user's notes that must survive\n");

        var e = Assert.Throws<KomlogdException>(() => SampleStore.Open(file));

        Assert.Equal($"{file}: cannot open the store: SQLite Error 26: 'file is not a database'.", e.Message);
        Assert.Equal("not a database, but a user's notes that must survive\n", File.ReadAllText(file));
    }

    [Fact]
    public void APathThatIsADirectoryIsRefusedInOneLine()
    {
        var file = _dir["data/komlogd.db"];
        Directory.CreateDirectory(file);

        var e = Assert.Throws<KomlogdException>(() => SampleStore.Open(file));

        Assert.Equal($"{file}: cannot open the store: SQLite Error 14: 'unable to open database file'.", e.Message);
    }

    [Fact]
    public async Task AWriterWaitsForAnotherConnectionsWriteLockAndThenWrites()
    {
        var file = _dir["k.db"];
        using var store = SampleStore.Open(file);
        Task insert;
        using (var other = Database.Open(file, create: false))
        {
            using var holding = other.Begin(immediate: true);
            insert = Task.Run(() => store.Insert([new NewSample("h.a", SampleType.Datapoint, 1, "1")]));
            // Not done while the lock is held: it waits (busy timeout), it does not fail.
            Assert.NotSame(insert, await Task.WhenAny(insert, Task.Delay(300)));
        }

        await insert.WaitAsync(TimeSpan.FromMinutes(1));
        Assert.Equal(["1"], store.Get("h.a").Select(s => s.Value));
    }

    [Fact]
    public void ATransactionDisposedWithoutCommitRollsBackAndTheConnectionWritesOn()
    {
        using var db = Database.Open(_dir["t.db"], create: true);
        db.Exec("CREATE TABLE t(v TEXT)");
        using (var tx = db.Begin(immediate: true))
        {
            using var insert = db.Prepare("INSERT INTO t VALUES ($v)");
            insert.Bind("$v", "gone").Run();
        }
        using (var insert = db.Prepare("INSERT INTO t VALUES ($v)"))
        {
            insert.Bind("$v", "kept").Run();
            insert.Bind("$v", null).Run();
        }

        using var read = db.Prepare("SELECT v FROM t ORDER BY rowid");
        var rows = new List<string?>();
        while (read.Step())
        {
            rows.Add(read.IsNull(0) ? null : read.Text(0));
        }
        Assert.Equal(["kept", null], rows);
    }

    [Fact]
    public void TextGoesInAndComesOutAsUtf8WithALoneSurrogateReplaced()
    {
        using var db = Database.Open(_dir["u.db"], create: true);
        db.Exec("CREATE TABLE t(v TEXT)");
        using (var insert = db.Prepare("INSERT INTO t VALUES ($v)"))
        {
            insert.Bind("$v", "Grüße, 日本, 🙂").Run();
            insert.Bind("$v", "a\uD800b").Run();
        }

        using var read = db.Prepare("SELECT v, length(CAST(v AS BLOB)) FROM t ORDER BY rowid");
        Assert.True(read.Step());
        Assert.Equal(("Grüße, 日本, 🙂", 21L), (read.Text(0), read.Int64(1)));
        Assert.True(read.Step());
        Assert.Equal("a\uFFFDb", read.Text(0));
    }

    [Fact]
    public void AStatementThatFailsSaysWhySQLiteRefused()
    {
        using var db = Database.Open(_dir["e.db"], create: true);

        var prepare = Assert.Throws<SqliteException>(() => db.Prepare("SELECT * FROM nowhere"));
        db.Exec("CREATE TABLE t(v INTEGER NOT NULL)");
        using var insert = db.Prepare("INSERT INTO t VALUES ($v)");
        var step = Assert.Throws<SqliteException>(() => insert.Bind("$v", null).Run());
        var unknown = Assert.Throws<ArgumentException>(() => insert.Bind("$w", 1));

        Assert.Equal("SQLite Error 1: 'no such table: nowhere'.", prepare.Message);
        Assert.Equal("SQLite Error 19: 'NOT NULL constraint failed: t.v'.", step.Message);
        Assert.Equal(19, step.ErrorCode);
        Assert.StartsWith("the statement has no parameter $w", unknown.Message, StringComparison.Ordinal);
        Assert.Equal(1, insert.Bind("$v", 7).Run());
    }

    public void Dispose() => _dir.Dispose();
}
