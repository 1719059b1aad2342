namespace Komlogd.Core.Store;

/// <summary>Something that hears about new samples of the uris it subscribed to (a plugin host child).</summary>
public interface ISampleSubscriber
{
    /// <summary>Called after the samples are committed. Must not block: queue and return.</summary>
    void OnSamples(IReadOnlyList<StoredSample> samples);
}

/// <summary>
/// The agent's data model: every write goes through here to the store, and once committed is pushed to
/// the subscribers of its uris, whoever wrote it (another venv, <c>komlogd -u</c>, the console). A
/// package never polls.
/// </summary>
/// <remarks>The one write path of a running agent: packages, the control socket (<c>komlogd -u</c>,
/// <c>data import</c>) and the console all write here. It does not hand out its store.</remarks>
public sealed class SampleHub(SampleStore store)
{
    private readonly Lock _gate = new();
    private readonly Dictionary<ISampleSubscriber, Dictionary<string, int>> _subscriptions = [];

    private long _inserted;
    private volatile string? _storeError;

    /// <summary>Rows committed through this hub since it was created (a replaced value counts again).</summary>
    public long Inserted => Interlocked.Read(ref _inserted);

    /// <summary>Why the last write failed, while no write has succeeded since; else null.</summary>
    public string? StoreError => _storeError;

    /// <summary>Raised when <see cref="StoreError"/> changes: the store starts failing (the error) or writes again (null).</summary>
    public event Action<string?>? StoreErrorChanged;

    /// <summary>Bytes of the store's files (database and write-ahead log).</summary>
    public long StoreBytes => new[] { "", "-wal" }.Select(x => new FileInfo(store.File + x)).Where(f => f.Exists).Sum(f => f.Length);

    /// <summary>Commits the samples in one transaction, then tells their subscribers.</summary>
    /// <exception cref="KomlogdException">A sample breaks a rule; nothing was stored.</exception>
    /// <exception cref="StoreFailedException">The store could not write; nothing was stored.</exception>
    public long[] Insert(IReadOnlyList<NewSample> samples, SampleConflict conflict = SampleConflict.Replace)
    {
        long[] times;
        try
        {
            times = store.Insert(samples, conflict);
        }
        catch (StoreFailedException e)
        {
            SetStoreError(e.Message);
            throw;
        }
        SetStoreError(null);
        Interlocked.Add(ref _inserted, times.Length);
        Publish(samples, times);
        return times;
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

    private void Publish(IReadOnlyList<NewSample> samples, long[] times)
    {
        List<(ISampleSubscriber Subscriber, HashSet<string> Uris)> targets;
        lock (_gate)
        {
            if (_subscriptions.Count == 0)
            {
                return;
            }
            targets = _subscriptions.Where(s => s.Value.Count > 0).Select(s => (s.Key, new HashSet<string>(s.Value.Keys, StringComparer.Ordinal))).ToList();
        }
        foreach (var (subscriber, uris) in targets)
        {
            List<StoredSample>? mine = null;
            for (var i = 0; i < samples.Count; i++)
            {
                if (uris.Contains(samples[i].Uri))
                {
                    (mine ??= []).Add(new StoredSample(samples[i].Uri, samples[i].Type, SampleTime.FromMs(times[i]), samples[i].Value));
                }
            }
            if (mine is not null)
            {
                subscriber.OnSamples(mine);
            }
        }
    }
}
