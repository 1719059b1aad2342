using Komlogd.Sdk;
using Komlogd.Sdk.Hosting;

namespace Kpack.Linux.Tests;

/// <summary>A small IKomlogdRuntime: what the package's inserts reach in a test.</summary>
internal sealed class MemoryRuntime : IKomlogdRuntime
{
    private readonly Lock gate = new();
    private readonly List<Sample> samples = [];

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

    public object? Value(string uri) => Samples.LastOrDefault(s => s.Metric.Uri == uri)?.Value;

    public void Insert(Sample sample)
    {
        lock (gate)
        {
            samples.Add(sample);
        }
    }

    public Task<IReadOnlyList<Sample>> GetAsync(Metric metric, DateTimeOffset? start, DateTimeOffset? end, int? count, CancellationToken cancellationToken)
    {
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
    }

    public void OnUnbound(TransferMethodInfo method)
    {
    }
}
