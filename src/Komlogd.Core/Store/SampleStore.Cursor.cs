using Microsoft.Data.Sqlite;

namespace Komlogd.Core.Store;

/// <summary>
/// The export cursor: the one door through which exporters (src/Komlogd.Core/Export) read the store. Rows
/// come in commit order (<c>samples.seq</c>, migration 2); a target's position is saved by name. Reads use a
/// connection of their own, so a long backlog being read never holds the insert path's lock; WAL lets them
/// run beside a write.
/// </summary>
public sealed partial class SampleStore
{
    private readonly Lock _readGate = new();
    private readonly Dictionary<long, string> _uriById = [];
    private SqliteConnection? _read;

    /// <summary>The highest commit sequence number in the store (0 when it holds nothing).</summary>
    public long LastSeq
    {
        get
        {
            lock (_readGate)
            {
                using var cmd = Reader().CreateCommand();
                cmd.CommandText = "SELECT COALESCE(MAX(seq), 0) FROM samples";
                return (long)cmd.ExecuteScalar()!;
            }
        }
    }

    /// <summary>
    /// Up to <paramref name="limit"/> rows committed after <paramref name="afterSeq"/>, in commit order; of
    /// those, the ones of type <paramref name="type"/> whose uri passes <paramref name="uris"/> are returned.
    /// The limit counts every row read, so a page of filtered-out rows still moves the cursor on
    /// (<see cref="SamplePage.LastSeq"/>).
    /// </summary>
    public SamplePage ReadSince(long afterSeq, int limit, SampleType type, Func<string, bool>? uris = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(limit, 1);
        lock (_readGate)
        {
            using var cmd = Reader().CreateCommand();
            // The value of another type is not read at all: a text sample can be 128 KiB.
            cmd.CommandText = """
                SELECT s.seq, s.metric_id, s.t, CASE WHEN m.type = $type THEN s.value END
                FROM samples s JOIN metrics m ON m.id = s.metric_id
                WHERE s.seq > $after ORDER BY s.seq LIMIT $limit
                """;
            cmd.Parameters.AddWithValue("$type", (int)type);
            cmd.Parameters.AddWithValue("$after", afterSeq);
            cmd.Parameters.AddWithValue("$limit", limit);
            return Page(cmd, afterSeq, uris, seqColumn: 0, metricColumn: 1, tColumn: 2, valueColumn: 3);
        }
    }

    /// <summary>
    /// The newest sample of every uri of type <paramref name="type"/> that passes <paramref name="uris"/>, and
    /// the store's <see cref="LastSeq"/> at the same instant: reading on with <see cref="ReadSince"/> from it
    /// misses nothing (what /metrics starts from).
    /// </summary>
    public SamplePage ReadLatest(SampleType type, Func<string, bool>? uris = null)
    {
        lock (_readGate)
        {
            var db = Reader();
            using var tx = db.BeginTransaction(deferred: true);
            using var last = db.CreateCommand();
            last.Transaction = tx;
            last.CommandText = "SELECT COALESCE(MAX(seq), 0) FROM samples";
            var lastSeq = (long)last.ExecuteScalar()!;
            using var cmd = db.CreateCommand();
            cmd.Transaction = tx;
            // CROSS JOIN keeps metrics the outer loop: one index seek per uri. As a plain JOIN SQLite chose to
            // scan every sample (EXPLAIN QUERY PLAN), which a scrape of a large store cannot afford.
            cmd.CommandText = """
                SELECT s.seq, m.id, s.t, s.value FROM metrics m CROSS JOIN samples s
                WHERE m.type = $type AND s.metric_id = m.id AND s.t = (SELECT MAX(t) FROM samples WHERE metric_id = m.id)
                ORDER BY s.seq
                """;
            cmd.Parameters.AddWithValue("$type", (int)type);
            var page = Page(cmd, lastSeq, uris, seqColumn: 0, metricColumn: 1, tColumn: 2, valueColumn: 3);
            tx.Commit();
            return new SamplePage(page.Samples, lastSeq);
        }
    }

    private SamplePage Page(SqliteCommand cmd, long lastSeq, Func<string, bool>? uris, int seqColumn, int metricColumn, int tColumn, int valueColumn)
    {
        var passes = new Dictionary<long, bool>();
        var samples = new List<SequencedSample>();
        using (var reader = cmd.ExecuteReader())
        {
            while (reader.Read())
            {
                lastSeq = Math.Max(lastSeq, reader.GetInt64(seqColumn));
                if (reader.IsDBNull(valueColumn))
                {
                    continue;
                }
                var metric = reader.GetInt64(metricColumn);
                var uri = UriOf(metric, cmd.Transaction);
                if (!passes.TryGetValue(metric, out var pass))
                {
                    passes[metric] = pass = uris?.Invoke(uri) ?? true;
                }
                if (pass)
                {
                    samples.Add(new SequencedSample(reader.GetInt64(seqColumn), uri, reader.GetInt64(tColumn), reader.GetString(valueColumn)));
                }
            }
        }
        return new SamplePage(samples, lastSeq);
    }

    /// <summary>A metric's uri, read once per store (a uri never changes; one string per uri, not per row).</summary>
    private string UriOf(long metric, SqliteTransaction? tx)
    {
        if (!_uriById.TryGetValue(metric, out var uri))
        {
            using var cmd = Reader().CreateCommand();
            cmd.Transaction = tx;
            cmd.CommandText = "SELECT uri FROM metrics WHERE id = $id";
            cmd.Parameters.AddWithValue("$id", metric);
            _uriById[metric] = uri = (string)cmd.ExecuteScalar()!;
        }
        return uri;
    }

    /// <summary>The last seq <paramref name="target"/> has delivered, or null when it has no cursor yet.</summary>
    public long? LoadCursor(string target)
    {
        lock (_gate)
        {
            using var cmd = _db.CreateCommand();
            cmd.CommandText = "SELECT seq FROM export_cursors WHERE target = $target";
            cmd.Parameters.AddWithValue("$target", target);
            return cmd.ExecuteScalar() is long seq ? seq : null;
        }
    }

    /// <summary>
    /// Records that <paramref name="target"/> has delivered everything up to <paramref name="seq"/>. On the
    /// insert path's connection (in-process lock, no SQLITE_BUSY waits against it) and without an fsync of its
    /// own: a process crash keeps it (the OS has the page), the next sample commit syncs it, and a cursor lost
    /// with the machine only sends some samples again, which an at-least-once export allows.
    /// </summary>
    public void SaveCursor(string target, long seq)
    {
        lock (_gate)
        {
            Exec(_db, "PRAGMA synchronous=NORMAL");
            try
            {
                using var cmd = _db.CreateCommand();
                cmd.CommandText = """
                    INSERT INTO export_cursors(target, seq, saved_at) VALUES ($target, $seq, $at)
                    ON CONFLICT(target) DO UPDATE SET seq = excluded.seq, saved_at = excluded.saved_at
                    """;
                cmd.Parameters.AddWithValue("$target", target);
                cmd.Parameters.AddWithValue("$seq", seq);
                cmd.Parameters.AddWithValue("$at", DateTimeOffset.UtcNow.ToUnixTimeMilliseconds());
                cmd.ExecuteNonQuery();
            }
            finally
            {
                Exec(_db, "PRAGMA synchronous=FULL");
            }
        }
    }

    private SqliteConnection Reader()
    {
        if (_read is null)
        {
            var read = new SqliteConnection(ConnectionString(File, SqliteOpenMode.ReadWrite));
            read.Open();
            Exec(read, "PRAGMA query_only=ON");
            _read = read;
        }
        return _read;
    }

    private void DisposeReader()
    {
        lock (_readGate)
        {
            _read?.Dispose();
            _read = null;
        }
    }
}
