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
public sealed class SampleHub(SampleStore store)
{
    private readonly Lock _gate = new();
    private readonly Dictionary<ISampleSubscriber, Dictionary<string, int>> _subscriptions = [];

    private long _inserted;

    public SampleStore Store { get; } = store;

    /// <summary>Rows committed through this hub since it was created (a replaced value counts again).</summary>
    public long Inserted => Interlocked.Read(ref _inserted);

    /// <summary>Commits the samples in one transaction, then tells their subscribers.</summary>
    /// <exception cref="KomlogdException">A sample breaks a rule; nothing was stored.</exception>
    public long[] Insert(IReadOnlyList<NewSample> samples, SampleConflict conflict = SampleConflict.Replace)
    {
        var times = Store.Insert(samples, conflict);
        Interlocked.Add(ref _inserted, times.Length);
        Publish(samples, times);
        return times;
    }

    public IReadOnlyList<StoredSample> Get(string uri, DateTimeOffset? from = null, DateTimeOffset? to = null, int? count = null) =>
        Store.Get(uri, from, to, count);

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
