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
    private Database? _read;

    /// <summary>The highest commit sequence number in the store (0 when it holds nothing).</summary>
    public long LastSeq
    {
        get
        {
            lock (_readGate)
            {
                using var max = Reader().Prepare("SELECT COALESCE(MAX(seq), 0) FROM samples");
                return max.Int64OrNull()!.Value;
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
            // The value of another type is not read at all: a text sample can be 128 KiB.
            using var read = Reader().Prepare("""
                SELECT s.seq, s.metric_id, s.t, CASE WHEN m.type = $type THEN s.value END
                FROM samples s JOIN metrics m ON m.id = s.metric_id
                WHERE s.seq > $after ORDER BY s.seq LIMIT $limit
                """)
                .Bind("$type", (int)type).Bind("$after", afterSeq).Bind("$limit", limit);
            return Page(read, afterSeq, uris);
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
            using var tx = db.Begin(immediate: false);
            long lastSeq;
            using (var last = db.Prepare("SELECT COALESCE(MAX(seq), 0) FROM samples"))
            {
                lastSeq = last.Int64OrNull()!.Value;
            }
            // CROSS JOIN keeps metrics the outer loop: one index seek per uri. As a plain JOIN SQLite chose to
            // scan every sample (EXPLAIN QUERY PLAN), which a scrape of a large store cannot afford.
            using var read = db.Prepare("""
                SELECT s.seq, m.id, s.t, s.value FROM metrics m CROSS JOIN samples s
                WHERE m.type = $type AND s.metric_id = m.id AND s.t = (SELECT MAX(t) FROM samples WHERE metric_id = m.id)
                ORDER BY s.seq
                """)
                .Bind("$type", (int)type);
            var page = Page(read, lastSeq, uris);
            tx.Commit();
            return new SamplePage(page.Samples, lastSeq);
        }
    }

    /// <summary>The rows of <paramref name="read"/>: seq, metric id, time, value (NULL: not of the asked type).</summary>
    private SamplePage Page(Statement read, long lastSeq, Func<string, bool>? uris)
    {
        var passes = new Dictionary<long, bool>();
        var samples = new List<SequencedSample>();
        while (read.Step())
        {
            lastSeq = Math.Max(lastSeq, read.Int64(0));
            if (read.IsNull(3))
            {
                continue;
            }
            var metric = read.Int64(1);
            var uri = UriOf(metric);
            if (!passes.TryGetValue(metric, out var pass))
            {
                passes[metric] = pass = uris?.Invoke(uri) ?? true;
            }
            if (pass)
            {
                samples.Add(new SequencedSample(read.Int64(0), uri, read.Int64(2), read.Text(3)));
            }
        }
        return new SamplePage(samples, lastSeq);
    }

    /// <summary>A metric's uri, read once per store (a uri never changes; one string per uri, not per row).</summary>
    private string UriOf(long metric)
    {
        if (!_uriById.TryGetValue(metric, out var uri))
        {
            using var read = Reader().Prepare("SELECT uri FROM metrics WHERE id = $id").Bind("$id", metric);
            read.Step();
            _uriById[metric] = uri = read.Text(0);
        }
        return uri;
    }

    /// <summary>The last seq <paramref name="target"/> has delivered, or null when it has no cursor yet.</summary>
    public long? LoadCursor(string target)
    {
        lock (_gate)
        {
            using var read = _db.Prepare("SELECT seq FROM export_cursors WHERE target = $target").Bind("$target", target);
            return read.Int64OrNull();
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
            _db.Exec("PRAGMA synchronous=NORMAL");
            try
            {
                using var save = _db.Prepare("""
                    INSERT INTO export_cursors(target, seq, saved_at) VALUES ($target, $seq, $at)
                    ON CONFLICT(target) DO UPDATE SET seq = excluded.seq, saved_at = excluded.saved_at
                    """)
                    .Bind("$target", target).Bind("$seq", seq).Bind("$at", DateTimeOffset.UtcNow.ToUnixTimeMilliseconds());
                save.Run();
            }
            finally
            {
                _db.Exec("PRAGMA synchronous=FULL");
            }
        }
    }

    private Database Reader()
    {
        if (_read is null)
        {
            var read = Database.Open(File, create: false);
            try
            {
                read.Exec("PRAGMA query_only=ON");
            }
            catch
            {
                read.Dispose();
                throw;
            }
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
