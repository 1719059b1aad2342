using Komlogd.Sdk;
using Komlogd.Sdk.Hosting;

namespace Komlogd.PluginHost;

/// <summary>
/// The runtime seen during one transfer-method run: inserts are kept until the run returns, then committed
/// together; a run that throws commits nothing. Reads see the store as the run's commit would leave it (its
/// own inserts over the stored samples, as the original's reads inside a run did); binds pass through.
/// </summary>
internal sealed class RunBuffer(HostRuntime runtime) : IKomlogdRuntime
{
    private readonly List<Sample> _samples = [];

    public IReadOnlyList<Sample> Samples
    {
        get
        {
            lock (_samples)
            {
                return [.. _samples];
            }
        }
    }

    public void Insert(Sample sample)
    {
        lock (_samples)
        {
            _samples.Add(sample);
        }
    }

    /// <summary>
    /// The stored samples with the run's own in the range merged in: a run's sample at a stored time replaces
    /// the stored one, and a later insert of the run at one time replaces its earlier one, as the commit will.
    /// The store is asked for <paramref name="count"/> at most: the run's samples can only push stored ones out.
    /// </summary>
    public async Task<IReadOnlyList<Sample>> GetAsync(Metric metric, DateTimeOffset? start, DateTimeOffset? end, int? count, CancellationToken cancellationToken)
    {
        var stored = await runtime.GetAsync(metric, start, end, count, cancellationToken).ConfigureAwait(false);
        List<Sample> mine;
        lock (_samples)
        {
            mine = _samples.Where(s => s.Metric == metric && (start is null || s.T >= start) && (end is null || s.T <= end)).ToList();
        }
        if (mine.Count == 0)
        {
            return stored;
        }
        var byTime = stored.ToDictionary(s => s.T);
        foreach (var s in mine)
        {
            byTime[s.T] = s;
        }
        return byTime.Values.OrderByDescending(s => s.T).Take(count ?? int.MaxValue).ToList();
    }

    public void OnBound(TransferMethodInfo method) => runtime.OnBound(method);

    public void OnUnbound(TransferMethodInfo method) => runtime.OnUnbound(method);
}
