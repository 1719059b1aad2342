using System.Buffers;
using System.Globalization;
using System.Text;
using Komlogd.Sdk;
using SQLitePCL;

namespace Komlogd.Core.Store;

/// <summary>
/// The agent's embedded store: SQLite in WAL mode at <c>&lt;config dir&gt;/data/komlogd.db</c>. Several
/// processes may open it at once (the agent, <c>komlogd -u</c>, <c>komlogd data</c>); writers take the
/// write lock at BEGIN (IMMEDIATE) and wait for it, so none loses a sample. <c>synchronous=FULL</c>: a
/// sample acknowledged here survives a crash of the machine, as docs/store.md explains. The configured
/// user's global uris (<c>alice:x</c>) are stored, read and listed as the local ones (<see cref="OwnUris"/>).
/// </summary>
public sealed partial class SampleStore : IDisposable
{
    private readonly Database _db;
    private readonly Lock _gate = new();

    private SampleStore(Database db) => _db = db;

    public string File { get; private init; } = "";

    /// <summary>Whose global uris are this store's local ones.</summary>
    public OwnUris Own { get; private init; } = OwnUris.None;

    /// <summary>Opens (creating and migrating when needed) the store in <paramref name="file"/>.</summary>
    /// <param name="file">The database file.</param>
    /// <param name="username">The configured username: its global uris are the local ones; null for none.</param>
    public static SampleStore Open(string file, string? username = null)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(file))!);
        Database? db = null;
        try
        {
            db = Database.Open(file, create: true);
            // cache_size: up to 64 MiB of pages, taken only as they are used. Many uris written at once touch
            // one index leaf each per commit; with SQLite's default 2 MiB a thousand of them no longer fit
            // (docs/store.md, "Many uris at once").
            db.Exec("PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL; PRAGMA foreign_keys=ON; PRAGMA cache_size=-65536;");
            Migrate(db);
        }
        catch (SqliteException e)
        {
            db?.Dispose();
            throw new KomlogdException($"{file}: cannot open the store: {e.Message}", ExitCodes.Failure, e);
        }
        return new SampleStore(db) { File = file, Own = new OwnUris(username) };
    }

    private static void Migrate(Database db)
    {
        db.Exec("CREATE TABLE IF NOT EXISTS schema_migrations(version INTEGER PRIMARY KEY, applied_at INTEGER NOT NULL)");
        // Readers (komlogd data, the console) open the store often: no write lock when nothing is missing.
        // Only the SQL versions count here: code migrations (ApplyOnce) are recorded in the same table.
        using (var applied = db.Prepare($"SELECT COUNT(*) FROM schema_migrations WHERE version IN ({string.Join(',', Migrations.All.Select(m => m.Version))})"))
        {
            if (applied.Int64OrNull() == Migrations.All.Count)
            {
                return;
            }
        }
        foreach (var (version, sql) in Migrations.All)
        {
            // IMMEDIATE: two processes opening a new store at once apply each migration once.
            using var tx = db.Begin(immediate: true);
            if (!IsApplied(db, version))
            {
                db.Exec(sql);
                MarkApplied(db, version);
            }
            tx.Commit();
        }
    }

    private static bool IsApplied(Database db, int version)
    {
        using var check = db.Prepare("SELECT COUNT(*) FROM schema_migrations WHERE version = $v").Bind("$v", version);
        return check.Int64OrNull() != 0;
    }

    private static void MarkApplied(Database db, int version)
    {
        using var mark = db.Prepare("INSERT INTO schema_migrations(version, applied_at) VALUES ($v, $t)")
            .Bind("$v", version).Bind("$t", DateTimeOffset.UtcNow.ToUnixTimeMilliseconds());
        mark.Run();
    }

    /// <summary>
    /// Applies a migration that needs more than SQL (a fact only the agent knows, such as the host's name) once
    /// per store: inside one IMMEDIATE transaction, recorded in schema_migrations as the SQL ones are, so a
    /// second call (or a second agent) finds it done. All of <paramref name="step"/>'s changes or none.
    /// </summary>
    /// <returns>What <paramref name="step"/> returned, or null when <paramref name="version"/> was applied before.</returns>
    /// <exception cref="KomlogdException">SQLite failed; nothing of the migration was applied.</exception>
    internal T? ApplyOnce<T>(int version, Func<Database, T> step) where T : class
    {
        lock (_gate)
        {
            try
            {
                using var tx = _db.Begin(immediate: true);
                if (IsApplied(_db, version))
                {
                    return null;
                }
                var result = step(_db);
                MarkApplied(_db, version);
                tx.Commit();
                return result;
            }
            catch (SqliteException e)
            {
                throw new KomlogdException($"{File}: cannot apply store migration {version}: {e.Message}; nothing of it was applied", ExitCodes.Failure, e);
            }
        }
    }

    /// <summary>Highest schema version applied.</summary>
    public int SchemaVersion
    {
        get
        {
            lock (_gate)
            {
                using var max = _db.Prepare("SELECT COALESCE(MAX(version), 0) FROM schema_migrations");
                return (int)max.Int64OrNull()!.Value;
            }
        }
    }

    /// <summary>Checks a sample against the model's rules; returns the rule it breaks, or null.</summary>
    public static string? Check(in NewSample sample) =>
        Uris.TryValidate(sample.Uri, out var error) ? CheckValue(sample) : error;

    /// <summary>The value's rules only (size of a text, form of a decimal).</summary>
    private static string? CheckValue(in NewSample sample)
    {
        if (sample.Type == SampleType.Datasource)
        {
            var bytes = Encoding.UTF8.GetByteCount(sample.Value);
            return bytes > Limits.MaxDatasourceBytes
                ? $"text sample is {bytes} bytes; the limit is {Limits.MaxDatasourceBytes} bytes (128 KiB)"
                : null;
        }
        return decimal.TryParse(sample.Value, NumberStyles.Float, CultureInfo.InvariantCulture, out _)
            ? null
            : $"datapoint value '{sample.Value}' is not a decimal number";
    }

    /// <summary>
    /// Writes the samples in one transaction: all of them or none. Returns the times they were stored at
    /// (which differ from the asked ones only with <see cref="SampleConflict.NextFreeMillisecond"/>) and which
    /// rows were already stored with the same value (compared with the store before this batch).
    /// </summary>
    /// <exception cref="KomlogdException">A sample breaks a rule (bad uri, too long, wrong type for its uri).</exception>
    /// <exception cref="StoreFailedException">SQLite could not write (disk full, busy, damaged); nothing was stored.</exception>
    /// <param name="samples">The samples.</param>
    /// <param name="conflict">What a sample at a taken millisecond does.</param>
    /// <param name="supplies">
    /// Datasources of this batch whose <c>supplies</c> to store first, in the same transaction: null for absent
    /// (create what is found), empty for none, a list for only those names; a uri not in the map keeps its own.
    /// </param>
    public InsertResult Insert(IReadOnlyList<NewSample> samples, SampleConflict conflict = SampleConflict.Replace, IReadOnlyDictionary<string, IReadOnlyList<string>?>? supplies = null)
    {
        var texts = CheckAll(samples);
        try
        {
            return Write(samples, conflict, texts ? supplies : null, texts);
        }
        catch (SqliteException e)
        {
            // The transaction was rolled back when it was disposed: nothing of the batch is in the store.
            throw new StoreFailedException($"{File}: cannot write to the store: {e.Message.TrimEnd('.')}; nothing of this batch of {samples.Count} was stored", e);
        }
    }

    private InsertResult Write(IReadOnlyList<NewSample> samples, SampleConflict conflict, IReadOnlyDictionary<string, IReadOnlyList<string>?>? supplies, bool texts)
    {
        var stored = new long[samples.Count];
        bool[]? unchanged = null;
        IReadOnlyList<NewSample>? extracted = null;
        lock (_gate)
        {
            using var tx = _db.Begin(immediate: true);
            var (metricIds, lastBefore) = MetricIds(samples);
            // Inside the write lock: every row of a later commit gets a higher seq (the export outbox's order).
            var seq = NextSeq();
            if (conflict == SampleConflict.Replace)
            {
                unchanged = InsertReplacing(samples, metricIds, lastBefore, seq);
                for (var i = 0; i < stored.Length; i++)
                {
                    stored[i] = samples[i].TimeMs;
                }
            }
            else
            {
                // Every row lands on a free millisecond: none can equal a stored one.
                InsertAtNextFree(samples, metricIds, stored, seq);
            }
            // Only a batch with a text pays for identification: a batch of datapoints runs as it always did.
            if (texts)
            {
                extracted = ExtractAtCommit(samples, metricIds, stored, unchanged, supplies, seq + samples.Count);
            }
            tx.Commit();
        }
        return new InsertResult(stored, unchanged, extracted);
    }

    /// <summary>Every sample's rules; a batch repeats few uris, so each uri's rule is checked once (the regex is the costly part).</summary>
    /// <returns>True when the batch holds a text (a datasource sample).</returns>
    private static bool CheckAll(IReadOnlyList<NewSample> samples)
    {
        var checkedUris = new HashSet<string>(StringComparer.Ordinal);
        string? last = null;
        var texts = false;
        foreach (var s in samples)
        {
            // Samples of one uri mostly come in runs (and share one string from the wire): skip the set then.
            var known = ReferenceEquals(s.Uri, last) || !checkedUris.Add(s.Uri);
            if ((known ? CheckValue(s) : Check(s)) is { } rule)
            {
                throw new KomlogdException(rule);
            }
            last = s.Uri;
            texts |= s.Type == SampleType.Datasource;
        }
        return texts;
    }

    /// <summary>
    /// Each sample's metric id, creating metrics new to the store, and the time of its metric's newest
    /// sample before this batch (<see cref="long.MinValue"/> when it has none): a row later than that cannot
    /// meet a stored one. Refuses a sample whose uri holds the other type.
    /// </summary>
    private (long[] Ids, long[] LastBefore) MetricIds(IReadOnlyList<NewSample> samples)
    {
        using var create = _db.Prepare("INSERT INTO metrics(uri, type) VALUES ($uri, $type) ON CONFLICT(uri) DO NOTHING");
        // MAX(t) of one metric is one step down the primary key's index: one lookup per metric per batch.
        using var metric = _db.Prepare("SELECT id, type, (SELECT MAX(t) FROM samples WHERE metric_id = metrics.id) FROM metrics WHERE uri = $uri");
        var ids = new Dictionary<string, (long Id, SampleType Type, long Last)>(StringComparer.Ordinal);
        var result = new long[samples.Count];
        var lastBefore = new long[samples.Count];
        string? lastUri = null;
        var lastType = default(SampleType);
        long lastId = 0;
        var lastT = long.MinValue;
        for (var i = 0; i < samples.Count; i++)
        {
            var s = samples[i];
            if (!ReferenceEquals(s.Uri, lastUri) || s.Type != lastType)
            {
                if (!ids.TryGetValue(s.Uri, out var known))
                {
                    var local = Own.Local(s.Uri);
                    create.Bind("$uri", local).Bind("$type", (int)s.Type).Run();
                    metric.Bind("$uri", local).Step();
                    known = (metric.Int64(0), (SampleType)metric.Int32(1), metric.IsNull(2) ? long.MinValue : metric.Int64(2));
                    metric.Reset();
                    ids[s.Uri] = known;
                }
                if (known.Type != s.Type)
                {
                    throw new KomlogdException(
                        $"uri '{s.Uri}' holds {known.Type.Name()}s; a {s.Type.Name()} cannot be stored there");
                }
                (lastUri, lastType, lastId, lastT) = (s.Uri, s.Type, known.Id, known.Last);
            }
            result[i] = lastId;
            lastBefore[i] = lastT;
        }
        return (result, lastBefore);
    }

    /// <summary>The first free commit sequence number (rows are never deleted, so the highest seq only grows).</summary>
    private long NextSeq()
    {
        using var max = _db.Prepare("SELECT COALESCE(MAX(seq), 0) + 1 FROM samples");
        return max.Int64OrNull()!.Value;
    }

    /// <summary>
    /// Rows in INSERT statements of <see cref="RowsPerStatement"/> rows each, prepared, bound and stepped
    /// on this connection (inside its transaction). Per statement rather than per row: one step and reset for
    /// 32 rows, each parameter bound by its index. A row
    /// that meets an earlier one of the same statement replaces it, as it would in a statement of its own
    /// (SampleStoreTests.ALaterSampleOfABatchAtTheSameTimeWins). Row i gets seq <paramref name="firstSeq"/> + i; a
    /// replaced row takes the new one (SampleCursorTests.AReplacedValueGetsANewSequenceNumber).
    /// </summary>
    /// <remarks>
    /// Which rows changed nothing: a statement whose rows all come after their metric's newest stored sample
    /// (samples arriving in time order, nearly every batch) cannot meet a stored row and runs as it always did.
    /// Only a statement with an older row runs the form that skips an identical value and returns the rows it
    /// wrote (<c>RETURNING</c>), which tells the others apart
    /// (SampleStoreTests.ASampleIdenticalToTheStoredOneChangesNothingAndIsToldApart). An identical row keeps
    /// its seq: nothing new to export.
    /// </remarks>
    /// <returns>Per row, true when the store already held that value at that uri and time; null when none did.</returns>
    private bool[]? InsertReplacing(IReadOnlyList<NewSample> samples, long[] metricIds, long[] lastBefore, long firstSeq)
    {
        var text = ArrayPool<byte>.Shared.Rent(1024);
        var statements = new Dictionary<(int Rows, bool Returning), Statement>();
        bool[]? unchanged = null;
        try
        {
            for (var first = 0; first < samples.Count; first += RowsPerStatement)
            {
                var rows = Math.Min(RowsPerStatement, samples.Count - first);
                var older = false;
                for (var i = first; i < first + rows && !older; i++)
                {
                    older = samples[i].TimeMs <= lastBefore[i];
                }
                if (!statements.TryGetValue((rows, older), out var insert))
                {
                    statements[(rows, older)] = insert = PrepareRows(rows, older);
                }
                BindRows(insert, samples, metricIds, firstSeq, first, rows, ref text);
                if (older)
                {
                    StepReturning(insert, samples, metricIds, first, rows, ref unchanged);
                }
                else
                {
                    insert.Run();
                }
            }
        }
        finally
        {
            foreach (var statement in statements.Values)
            {
                statement.Dispose();
            }
            ArrayPool<byte>.Shared.Return(text);
        }
        return unchanged;
    }

    // CPU per row, 200,000 rows in batches of 10,000 (docs/store.md): one row per statement through
    // Microsoft.Data.Sqlite 3.5 µs, 16 rows through it 2.2 µs, 32 rows through the raw API 1.0-1.3 µs.
    internal const int RowsPerStatement = 32;

    private Statement PrepareRows(int rows, bool returning)
    {
        var sql = new StringBuilder("INSERT INTO samples(seq, metric_id, t, value) VALUES (?,?,?,?)");
        for (var r = 1; r < rows; r++)
        {
            sql.Append(",(?,?,?,?)");
        }
        sql.Append(returning
            ? " ON CONFLICT(metric_id, t) DO UPDATE SET value = excluded.value, seq = excluded.seq WHERE samples.value IS NOT excluded.value RETURNING metric_id, t"
            : " ON CONFLICT(metric_id, t) DO UPDATE SET value = excluded.value, seq = excluded.seq");
        return _db.Prepare(sql.ToString());
    }

    private void BindRows(Statement insert, IReadOnlyList<NewSample> samples, long[] metricIds, long firstSeq, int first, int rows, ref byte[] text)
    {
        for (var r = 0; r < rows; r++)
        {
            var s = samples[first + r];
            insert.Bind((4 * r) + 1, firstSeq + first + r).Bind((4 * r) + 2, metricIds[first + r]).Bind((4 * r) + 3, s.TimeMs);
            // UTF-8 as Microsoft.Data.Sqlite binds text (a lone surrogate becomes U+FFFD); SQLite copies it.
            var length = Encoding.UTF8.GetMaxByteCount(s.Value.Length);
            if (length > text.Length)
            {
                ArrayPool<byte>.Shared.Return(text);
                text = ArrayPool<byte>.Shared.Rent(length);
            }
            var bytes = Encoding.UTF8.GetBytes(s.Value, text);
            _db.Check(raw.sqlite3_bind_text(insert.Handle, (4 * r) + 4, text.AsSpan(0, bytes)));
        }
    }

    /// <summary>Steps the RETURNING form: the rows it does not return were stored already with the same value.</summary>
    private static void StepReturning(Statement insert, IReadOnlyList<NewSample> samples, long[] metricIds, int first, int rows, ref bool[]? unchanged)
    {
        var written = new HashSet<(long, long)>();
        while (insert.Step())
        {
            written.Add((insert.Int64(0), insert.Int64(1)));
        }
        insert.Reset();
        for (var i = first; i < first + rows; i++)
        {
            if (!written.Contains((metricIds[i], samples[i].TimeMs)))
            {
                (unchanged ??= new bool[samples.Count])[i] = true;
            }
        }
    }

    /// <summary>One row at a time: a row whose millisecond is taken moves to the next free one.</summary>
    private void InsertAtNextFree(IReadOnlyList<NewSample> samples, long[] metricIds, long[] stored, long seq)
    {
        using var insert = _db.Prepare("INSERT INTO samples(seq, metric_id, t, value) VALUES ($s, $m, $t, $v) ON CONFLICT(metric_id, t) DO NOTHING");
        for (var i = 0; i < samples.Count; i++)
        {
            insert.Bind("$s", seq + i).Bind("$m", metricIds[i]).Bind("$v", samples[i].Value);
            var t = samples[i].TimeMs;
            while (true)
            {
                if (insert.Bind("$t", t).Run() > 0)
                {
                    break;
                }
                t++;
            }
            stored[i] = t;
        }
    }

    /// <summary>Samples of one uri, newest first, under the uri as asked (<c>alice:x</c> reads <c>x</c> and answers as <c>alice:x</c>).</summary>
    public IReadOnlyList<StoredSample> Get(string uri, DateTimeOffset? from = null, DateTimeOffset? to = null, int? count = null)
    {
        lock (_gate)
        {
            using var read = _db.Prepare("""
                SELECT m.type, s.t, s.value FROM samples s JOIN metrics m ON m.id = s.metric_id
                WHERE m.uri = $uri AND s.t >= $from AND s.t <= $to
                ORDER BY s.t DESC LIMIT $count
                """)
                .Bind("$uri", Own.Local(uri))
                .Bind("$from", from is { } f ? SampleTime.ToMs(f) : long.MinValue)
                .Bind("$to", to is { } t ? SampleTime.ToMs(t) : long.MaxValue)
                .Bind("$count", count ?? -1);
            var result = new List<StoredSample>();
            while (read.Step())
            {
                result.Add(new StoredSample(uri, (SampleType)read.Int32(0), SampleTime.FromMs(read.Int64(1)), read.Text(2)));
            }
            return result;
        }
    }

    /// <summary>Uris equal to <paramref name="prefix"/> or below it (<c>prefix.*</c>), with counts and last time.</summary>
    public IReadOnlyList<UriSummary> List(string? prefix = null)
    {
        lock (_gate)
        {
            using var read = _db.Prepare("""
                SELECT m.uri, m.type, COUNT(s.t), MAX(s.t) FROM metrics m LEFT JOIN samples s ON s.metric_id = m.id
                WHERE $p IS NULL OR m.uri = $p OR substr(m.uri, 1, length($p) + 1) = $p || '.'
                GROUP BY m.id ORDER BY m.uri
                """)
                .Bind("$p", prefix is null ? null : Own.Local(prefix));
            var result = new List<UriSummary>();
            while (read.Step())
            {
                result.Add(new UriSummary(
                    read.Text(0),
                    (SampleType)read.Int32(1),
                    read.Int64(2),
                    read.IsNull(3) ? null : SampleTime.FromMs(read.Int64(3))));
            }
            return result;
        }
    }

    /// <summary>Bytes of pages the store's connections hold in their page caches now (SQLite's own count).</summary>
    public long CacheBytes
    {
        get
        {
            long bytes;
            lock (_gate)
            {
                bytes = CacheUsed(_db);
            }
            lock (_readGate)
            {
                return bytes + (_read is null ? 0 : CacheUsed(_read));
            }
        }
    }

    /// <summary>
    /// Frees the pages the connections' caches hold (<c>PRAGMA shrink_memory</c>). A cache keeps every page
    /// it has read or written until it holds <c>cache_size</c> (64 MiB, <see cref="Open"/>), and a store
    /// only grows: with kpack_linux's 130 datapoints a minute the agent's cache grew about 9 MiB a day, to the
    /// full 64 MiB in a week, though each commit needs under 1 MiB of it (docs/store.md, "The page cache").
    /// The next commit reads what it needs again, from the system's file cache.
    /// </summary>
    public void ReleaseCache()
    {
        lock (_gate)
        {
            _db.Exec("PRAGMA shrink_memory");
        }
        lock (_readGate)
        {
            _read?.Exec("PRAGMA shrink_memory");
        }
    }

    private static long CacheUsed(Database db)
    {
        db.Check(raw.sqlite3_db_status(db.Handle, raw.SQLITE_DBSTATUS_CACHE_USED, out var current, out _, 0));
        return current;
    }

    public void Dispose()
    {
        DisposeReader();
        _db.Dispose();
    }
}
