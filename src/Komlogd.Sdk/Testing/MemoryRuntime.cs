using Komlogd.Sdk.Hosting;

namespace Komlogd.Sdk.Tests;

/// <summary>A real, small IKomlogdRuntime: samples in a list, binds recorded. What a package author would write.</summary>
public sealed class MemoryRuntime : IKomlogdRuntime
{
    private readonly Lock gate = new();
    private readonly List<Sample> samples = [];

    public List<string> Events { get; } = [];

    public IReadOnlyList<Sample> Samples
    {
        get
        {
            lock (gate)
            {
                return [.. samples];
            }
        }
    }

    public void Insert(Sample sample)
    {
        lock (gate)
        {
            // One value per uri and millisecond, as the store keeps it.
            samples.RemoveAll(s => s.Metric == sample.Metric && s.T == sample.T);
            samples.Add(sample);
        }
    }

    public Task<IReadOnlyList<Sample>> GetAsync(Metric metric, DateTimeOffset? start, DateTimeOffset? end, int? count, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        lock (gate)
        {
            IReadOnlyList<Sample> found = samples
                .Where(s => s.Metric == metric && (start is null || s.T >= start) && (end is null || s.T <= end))
                .OrderByDescending(s => s.T)
                .Take(count ?? int.MaxValue)
                .ToList();
            return Task.FromResult(found);
        }
    }

    public void OnBound(TransferMethodInfo method)
    {
        lock (gate)
        {
            Events.Add($"bound {method.Id}");
        }
    }

    public void OnUnbound(TransferMethodInfo method)
    {
        lock (gate)
        {
            Events.Add($"unbound {method.Id}");
        }
    }
}
