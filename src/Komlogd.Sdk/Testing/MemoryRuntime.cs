using Komlogd.Sdk.Hosting;

namespace Komlogd.Sdk.Testing;

/// <summary>
/// An in-memory <see cref="IKomlogdRuntime"/> for a package's unit tests: inserts are kept in a list, reads
/// answer from it as the agent's store would (newest first, one value per uri and millisecond), and binds
/// and unbinds of transfer methods are recorded. Attach it to a test with <see cref="KomlogdRuntime.Use"/>.
/// </summary>
/// <remarks>
/// It runs nothing by itself: a test calls a transfer method directly, or through
/// <see cref="TransferMethodInvoker"/>, and looks at <see cref="Samples"/>. Safe to use from several threads.
/// </remarks>
/// <example>
/// <code>
/// [Fact]
/// public void ASpikeIsMarkedAsAnAnomaly()
/// {
///     var runtime = new MemoryRuntime();
///     using var _ = KomlogdRuntime.Use(runtime);
///
///     Load.Spike(t, updated: [new Sample(new Datapoint("host.load.1m"), t, 9m)]);
///
///     var anomaly = Assert.Single(runtime.Samples);
///     Assert.Equal("host.load.1m._anomaly", anomaly.Metric.Uri);
/// }
/// </code>
/// </example>
public sealed class MemoryRuntime : IKomlogdRuntime
{
    private readonly Lock gate = new();
    private readonly List<Sample> samples = [];
    private readonly List<string> events = [];

    /// <summary>Every sample inserted so far, in insertion order (a later value at the same uri and time replaces the earlier one).</summary>
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

    /// <summary>"bound &lt;id&gt;" and "unbound &lt;id&gt;" for each bind and unbind of a transfer method, in order.</summary>
    public IReadOnlyList<string> Events
    {
        get
        {
            lock (gate)
            {
                return [.. events];
            }
        }
    }

    /// <summary>Keeps the sample; one value per uri and millisecond, as the agent's store keeps it.</summary>
    /// <param name="sample">The sample, already validated by the metric.</param>
    public void Insert(Sample sample)
    {
        ArgumentNullException.ThrowIfNull(sample);
        lock (gate)
        {
            samples.RemoveAll(s => s.Metric == sample.Metric && s.T == sample.T);
            samples.Add(sample);
        }
    }

    /// <summary>The kept samples of <paramref name="metric"/> with start ≤ t ≤ end, newest first, at most <paramref name="count"/>.</summary>
    /// <param name="metric">The metric to read.</param>
    /// <param name="start">The earliest time, inclusive, or null.</param>
    /// <param name="end">The latest time, inclusive, or null.</param>
    /// <param name="count">The most samples to return, or null for all.</param>
    /// <param name="cancellationToken">Checked before reading.</param>
    /// <returns>The samples, newest first.</returns>
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

    /// <summary>Records "bound &lt;id&gt;" in <see cref="Events"/>.</summary>
    /// <param name="method">The method bound.</param>
    public void OnBound(TransferMethodInfo method)
    {
        ArgumentNullException.ThrowIfNull(method);
        lock (gate)
        {
            events.Add($"bound {method.Id}");
        }
    }

    /// <summary>Records "unbound &lt;id&gt;" in <see cref="Events"/>.</summary>
    /// <param name="method">The method unbound.</param>
    public void OnUnbound(TransferMethodInfo method)
    {
        ArgumentNullException.ThrowIfNull(method);
        lock (gate)
        {
            events.Add($"unbound {method.Id}");
        }
    }
}
