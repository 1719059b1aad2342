using SQLitePCL;

namespace Komlogd.Core.Store;

/// <summary>
/// One SQLite connection on SQLitePCLRaw's own API, the library Microsoft.Data.Sqlite is built on. Not ADO.NET:
/// System.Data.Common, Microsoft.Data.Sqlite and System.ComponentModel.TypeConverter (its connection string
/// builder's) with their types were about 3 MiB of a running agent's memory for a store that needs prepare,
/// bind, step and read (docs/store.md, "SQLite without ADO.NET"; docs/benchmarks.md). Errors read as
/// Microsoft.Data.Sqlite's did (<see cref="SqliteException"/>), so users' logs and status lines keep their
/// words. Not thread-safe: the store serializes each connection's use under its own lock.
/// </summary>
internal sealed class Database : IDisposable
{
    /// <summary>Another process's write lock is waited for this long, as Microsoft.Data.Sqlite's DefaultTimeout did.</summary>
    private const int BusyTimeoutMs = 60_000;

    // The e_sqlite3 provider set by hand, not by Batteries_V2.Init: the batteries assembly is built against
    // netstandard, and loading it mapped netstandard.dll's facade into the agent for nothing (docs/store.md).
    static Database() => raw.SetProvider(new SQLite3Provider_e_sqlite3());

    private Database(sqlite3 handle) => Handle = handle;

    public sqlite3 Handle { get; }

    /// <summary>Opens <paramref name="file"/> for reading and writing, creating it when <paramref name="create"/>.</summary>
    /// <exception cref="SqliteException">SQLite could not open it.</exception>
    public static Database Open(string file, bool create)
    {
        var flags = raw.SQLITE_OPEN_READWRITE | (create ? raw.SQLITE_OPEN_CREATE : 0);
        var rc = raw.sqlite3_open_v2(file, out var handle, flags, null);
        if (rc != raw.SQLITE_OK)
        {
            var error = new SqliteException(rc, handle);
            handle.Dispose();
            throw error;
        }
        raw.sqlite3_busy_timeout(handle, BusyTimeoutMs);
        return new Database(handle);
    }

    /// <summary>Runs one or more statements that return nothing (<c>PRAGMA</c>s, DDL).</summary>
    public void Exec(string sql) => Check(raw.sqlite3_exec(Handle, sql));

    /// <summary>Prepares one statement (the text's first; the store's texts hold one each).</summary>
    public Statement Prepare(string sql)
    {
        Check(raw.sqlite3_prepare_v2(Handle, sql, out var statement));
        return new Statement(this, statement);
    }

    /// <summary>
    /// Begins a transaction: IMMEDIATE takes the write lock now (waiting for another writer), so two writers
    /// never both read and then fail to upgrade. Disposed without <see cref="Transaction.Commit"/>, it rolls back.
    /// </summary>
    public Transaction Begin(bool immediate)
    {
        Exec(immediate ? "BEGIN IMMEDIATE" : "BEGIN");
        return new Transaction(this);
    }

    /// <summary>Rows the last INSERT, UPDATE or DELETE changed.</summary>
    public int Changes => raw.sqlite3_changes(Handle);

    /// <summary>Throws <see cref="SqliteException"/> for any result but <c>SQLITE_OK</c>.</summary>
    public void Check(int rc)
    {
        if (rc != raw.SQLITE_OK)
        {
            throw new SqliteException(rc, Handle);
        }
    }

    public void Dispose() => Handle.Dispose();
}

/// <summary>One prepared statement of a <see cref="Database"/>; parameters by name (<c>$uri</c>) or index (from 1).</summary>
internal sealed class Statement(Database db, sqlite3_stmt handle) : IDisposable
{
    public sqlite3_stmt Handle { get; } = handle;

    public Statement Bind(string name, long value) => Bind(Index(name), value);

    public Statement Bind(string name, string? value) => Bind(Index(name), value);

    public Statement Bind(int index, long value)
    {
        db.Check(raw.sqlite3_bind_int64(Handle, index, value));
        return this;
    }

    /// <summary>Binds UTF-8 text as Microsoft.Data.Sqlite did (a lone surrogate becomes U+FFFD); null binds NULL.</summary>
    public Statement Bind(int index, string? value)
    {
        db.Check(value is null ? raw.sqlite3_bind_null(Handle, index) : raw.sqlite3_bind_text(Handle, index, value));
        return this;
    }

    private int Index(string name)
    {
        var index = raw.sqlite3_bind_parameter_index(Handle, name);
        return index > 0 ? index : throw new ArgumentException($"the statement has no parameter {name}", nameof(name));
    }

    /// <summary>Steps once: true when a row is there to read, false when the statement is done.</summary>
    /// <exception cref="SqliteException">The step failed (the statement is reset, so a transaction's rollback is not blocked by it).</exception>
    public bool Step()
    {
        var rc = raw.sqlite3_step(Handle);
        if (rc == raw.SQLITE_ROW)
        {
            return true;
        }
        if (rc == raw.SQLITE_DONE)
        {
            return false;
        }
        var error = new SqliteException(rc, db.Handle);
        raw.sqlite3_reset(Handle);
        throw error;
    }

    /// <summary>Runs the statement to its end and resets it for the next bindings; returns the rows it changed.</summary>
    public int Run()
    {
        while (Step())
        {
        }
        raw.sqlite3_reset(Handle);
        return db.Changes;
    }

    /// <summary>The first column of the first row as an integer, null when there is no row or it is NULL; resets the statement.</summary>
    public long? Int64OrNull()
    {
        try
        {
            return Step() && !IsNull(0) ? Int64(0) : null;
        }
        finally
        {
            raw.sqlite3_reset(Handle);
        }
    }

    /// <summary>Ready for new bindings and a new run (bindings stay until rebound).</summary>
    public void Reset() => raw.sqlite3_reset(Handle);

    public long Int64(int column) => raw.sqlite3_column_int64(Handle, column);

    public int Int32(int column) => raw.sqlite3_column_int(Handle, column);

    public bool IsNull(int column) => raw.sqlite3_column_type(Handle, column) == raw.SQLITE_NULL;

    public string Text(int column) => raw.sqlite3_column_text(Handle, column).utf8_to_string();

    public void Dispose() => Handle.Dispose();
}

/// <summary>An open transaction: <see cref="Commit"/> or, disposed before, rolled back.</summary>
internal sealed class Transaction(Database db) : IDisposable
{
    private bool _done;

    public void Commit()
    {
        db.Exec("COMMIT");
        _done = true;
    }

    public void Dispose()
    {
        // A failed COMMIT (SQLITE_BUSY, disk full) may leave the transaction open; autocommit says whether one is.
        if (!_done && raw.sqlite3_get_autocommit(db.Handle) == 0)
        {
            raw.sqlite3_exec(db.Handle, "ROLLBACK");
        }
        _done = true;
    }
}

/// <summary>
/// SQLite refused: the message is SQLite's own, in Microsoft.Data.Sqlite's words (<c>SQLite Error 13:
/// 'database or disk is full'.</c>), which the store's one-line errors and the exporters' status repeat.
/// </summary>
public sealed class SqliteException : Exception
{
    internal SqliteException(int rc, sqlite3? db)
        : base(Describe(rc, db)) => ErrorCode = rc;

    /// <summary>SQLite's primary result code (<c>SQLITE_FULL</c> is 13).</summary>
    public int ErrorCode { get; }

    private static string Describe(int rc, sqlite3? db)
    {
        // The connection's message is the detailed one ("no such table: x"); it describes this error only when
        // its code is this one (a failed open has a handle whose message is the open's).
        var message = db is not null && !db.IsInvalid && (raw.sqlite3_errcode(db) & 0xff) == (rc & 0xff)
            ? raw.sqlite3_errmsg(db).utf8_to_string()
            : raw.sqlite3_errstr(rc).utf8_to_string();
        return $"SQLite Error {rc & 0xff}: '{message}'.";
    }
}
