using Komlogd.Protocol.Runtime;

namespace Komlogd.Core.Store;

/// <summary>Something that hears about new samples of the uris it subscribed to (a plugin host child).</summary>
public interface ISampleSubscriber
{
    /// <summary>
    /// Called after the samples are committed, with the samples under the uris as this subscriber subscribed
    /// to them. Must not block: queue and return.
    /// </summary>
    /// <param name="samples">The samples of one commit that changed something, for this subscriber's uris.</param>
    /// <param name="ownRun">
    /// When this subscriber wrote them, the run it named (<see cref="SampleHub.Insert"/>); else null.
    /// </param>
    void OnSamples(IReadOnlyList<StoredSample> samples, string? ownRun);
}

/// <summary>
/// The agent's data model: every write goes through here to the store, and once committed is pushed to
/// the subscribers of its uris, whoever wrote it (another venv, <c>komlogd -u</c>, the console). A
/// package never polls.
/// </summary>
/// <remarks>The one write path of a running agent: packages, the control socket (<c>komlogd -u</c>,
/// <c>data import</c>) and the console all write here. It does not hand out its store. A sample identical
/// to the stored one (same uri, time and value) is stored again but published to nobody, as the original
/// triggered nothing on it; the configured user's global uris (<c>alice:x</c>) are the local ones
/// (<see cref="OwnUris"/>), and a subscriber hears of a sample under each form of its uri it subscribed to.</remarks>
public sealed class SampleHub(SampleStore store, TimeProvider? time = null)
{
    /// <summary>How often a writing hub frees the store's page caches (<see cref="SampleStore.ReleaseCache"/>).</summary>
    public static readonly TimeSpan CacheRelease = TimeSpan.FromMinutes(5);

    private readonly TimeProvider _time = time ?? TimeProvider.System;
    private readonly RateMeter _rate = new(time ?? TimeProvider.System);
    private readonly Lock _gate = new();
    private readonly Dictionary<ISampleSubscriber, Dictionary<string, int>> _subscriptions = [];

    private long _inserted;
    private long _cacheReleasedAt = (time ?? TimeProvider.System).GetTimestamp();
    private volatile string? _storeError;

    /// <summary>Rows committed through this hub since it was created (a replaced value counts again).</summary>
    public long Inserted => Interlocked.Read(ref _inserted);

    /// <summary>Rows committed per second over the last minute (<see cref="Inserted"/>'s rate).</summary>
    public double SamplesPerSecond => _rate.PerSecond();

    /// <summary>Why the last write failed, while no write has succeeded since; else null.</summary>
    public string? StoreError => _storeError;

    /// <summary>Raised when <see cref="StoreError"/> changes: the store starts failing (the error) or writes again (null).</summary>
    public event Action<string?>? StoreErrorChanged;

    /// <summary>Bytes of the store's files (database and write-ahead log).</summary>
    public long StoreBytes => new[] { "", "-wal" }.Select(x => new FileInfo(store.File + x)).Where(f => f.Exists).Sum(f => f.Length);

    /// <summary>Commits the samples in one transaction, then tells their subscribers of those that changed something.</summary>
    /// <param name="samples">The samples.</param>
    /// <param name="conflict">What a sample at a taken millisecond does.</param>
    /// <param name="writer">The subscriber writing them, if the writer is one (a plugin host).</param>
    /// <param name="run">What the writer calls this write (a transfer method's run); given back to it alone with the updates.</param>
    /// <returns>The time each sample was stored at.</returns>
    /// <exception cref="KomlogdException">A sample breaks a rule; nothing was stored.</exception>
    /// <exception cref="StoreFailedException">The store could not write; nothing was stored.</exception>
    /// <param name="supplies">Datasources of this batch whose supplies to store with it (<see cref="SampleStore.Insert"/>).</param>
    public long[] Insert(IReadOnlyList<NewSample> samples, SampleConflict conflict = SampleConflict.Replace, ISampleSubscriber? writer = null, string? run = null,
        IReadOnlyDictionary<string, IReadOnlyList<string>?>? supplies = null)
    {
        InsertResult result;
        try
        {
            result = store.Insert(samples, conflict, supplies);
        }
        catch (StoreFailedException e)
        {
            SetStoreError(e.Message);
            throw;
        }
        SetStoreError(null);
        var rows = result.Times.Length + result.Extracted.Count;
        Interlocked.Add(ref _inserted, rows);
        _rate.Add(rows);
        if (result.Extracted.Count == 0)
        {
            Publish(samples, result, writer, run);
        }
        else
        {
            // The datapoints identified in the texts are part of the same commit: one notice with both.
            var all = new List<NewSample>(samples.Count + result.Extracted.Count);
            all.AddRange(samples);
            all.AddRange(result.Extracted);
            var unchanged = new bool[all.Count];
            for (var i = 0; i < samples.Count; i++)
            {
                unchanged[i] = !result.Changed(i);
            }
            Publish(all, new InsertResult([.. result.Times, .. result.Extracted.Select(e => e.TimeMs)], unchanged), writer, run);
        }
        // The first batches of a writer compile the store's paths; a steady state reads one counter here.
        NativeHeap.TrimAfterCompilation();
        ReleaseCacheWhenDue();
        return result.Times;
    }

    /// <summary>
    /// After a commit at least <see cref="CacheRelease"/> after the last release: the store's page caches
    /// are freed (<see cref="SampleStore.ReleaseCache"/>) and the C heap trimmed of them. Between releases the
    /// cache holds what the commits of those minutes touched: the pages each uri's newest samples land on.
    /// </summary>
    private void ReleaseCacheWhenDue()
    {
        var last = Interlocked.Read(ref _cacheReleasedAt);
        var now = _time.GetTimestamp();
        if (_time.GetElapsedTime(last, now) < CacheRelease || Interlocked.CompareExchange(ref _cacheReleasedAt, now, last) != last)
        {
            return;
        }
        store.ReleaseCache();
        NativeHeap.Trim();
    }

    private void SetStoreError(string? error)
    {
        // Only changes are raised: a failing store does not log every failed batch twice.
        var before = _storeError;
        _storeError = error;
        if ((before is null) != (error is null))
        {
            StoreErrorChanged?.Invoke(error);
        }
    }

    /// <summary>
    /// One <c>komlogd identify</c> operation (<see cref="SampleStore.Identify"/>). What a backfill writes is the
    /// past: it is published to nobody, so no OnUpdate runs for it.
    /// </summary>
    public Protocol.Control.IdentifyResult Identify(Protocol.Control.IdentifyRequest request) => store.Identify(request);

    public IReadOnlyList<StoredSample> Get(string uri, DateTimeOffset? from = null, DateTimeOffset? to = null, int? count = null) =>
        store.Get(uri, from, to, count);

    /// <summary>Uris equal to or below <paramref name="prefix"/>, with counts and last time.</summary>
    public IReadOnlyList<UriSummary> List(string? prefix = null) => store.List(prefix);

    /// <summary>Subscriptions count: a uri subscribed twice needs two unsubscribes.</summary>
    public void Subscribe(ISampleSubscriber subscriber, IEnumerable<string> uris)
    {
        lock (_gate)
        {
            if (!_subscriptions.TryGetValue(subscriber, out var mine))
            {
                _subscriptions[subscriber] = mine = new Dictionary<string, int>(StringComparer.Ordinal);
            }
            foreach (var uri in uris)
            {
                mine[uri] = mine.GetValueOrDefault(uri) + 1;
            }
        }
    }

    public void Unsubscribe(ISampleSubscriber subscriber, IEnumerable<string> uris)
    {
        lock (_gate)
        {
            if (!_subscriptions.TryGetValue(subscriber, out var mine))
            {
                return;
            }
            foreach (var uri in uris)
            {
                if (mine.TryGetValue(uri, out var n) && n <= 1)
                {
                    mine.Remove(uri);
                }
                else if (n > 1)
                {
                    mine[uri] = n - 1;
                }
            }
        }
    }

    public void Remove(ISampleSubscriber subscriber)
    {
        lock (_gate)
        {
            _subscriptions.Remove(subscriber);
        }
    }

    public int SubscriberCount
    {
        get
        {
            lock (_gate)
            {
                return _subscriptions.Count(s => s.Value.Count > 0);
            }
        }
    }

    private void Publish(IReadOnlyList<NewSample> samples, InsertResult result, ISampleSubscriber? writer, string? run)
    {
        List<(ISampleSubscriber Subscriber, Dictionary<string, List<string>> Forms)> targets;
        lock (_gate)
        {
            if (_subscriptions.Count == 0)
            {
                return;
            }
            // Per subscriber: each metric (its local uri) and the forms of it the subscriber asked for.
            targets = _subscriptions.Where(s => s.Value.Count > 0)
                .Select(s => (s.Key, s.Value.Keys.GroupBy(store.Own.Local, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.ToList(), StringComparer.Ordinal)))
                .ToList();
        }
        foreach (var (subscriber, forms) in targets)
        {
            List<StoredSample>? mine = null;
            string? lastUri = null;
            List<string>? asked = null;
            for (var i = 0; i < samples.Count; i++)
            {
                // Batches are runs of one uri (one string from the wire): look it up once per run.
                if (!ReferenceEquals(samples[i].Uri, lastUri))
                {
                    lastUri = samples[i].Uri;
                    asked = forms.GetValueOrDefault(store.Own.Local(lastUri));
                }
                if (asked is not null && result.Changed(i))
                {
                    foreach (var uri in asked)
                    {
                        (mine ??= []).Add(new StoredSample(uri, samples[i].Type, SampleTime.FromMs(result.Times[i]), samples[i].Value));
                    }
                }
            }
            if (mine is not null)
            {
                subscriber.OnSamples(mine, ReferenceEquals(subscriber, writer) ? run : null);
            }
        }
    }
}
