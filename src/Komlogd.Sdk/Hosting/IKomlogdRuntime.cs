namespace Komlogd.Sdk.Hosting;

/// <summary>
/// Where a package's metric writes and reads go, and who hears about transfer methods bound at run time.
/// The plugin host implements it and attaches it with <see cref="KomlogdRuntime.Current"/>; a package's
/// unit tests attach <see cref="Testing.MemoryRuntime"/> (or a double of their own) with <see cref="KomlogdRuntime.Use"/>.
/// </summary>
/// <remarks>
/// A test double needs only <see cref="Insert"/> and <see cref="GetAsync"/>: the bind notifications have
/// empty default implementations.
/// </remarks>
/// <example>
/// <code>
/// sealed class MemoryRuntime : IKomlogdRuntime
/// {
///     public List&lt;Sample&gt; Samples { get; } = [];
///     public void Insert(Sample sample) => Samples.Add(sample);
///     public Task&lt;IReadOnlyList&lt;Sample&gt;&gt; GetAsync(Metric metric, DateTimeOffset? start, DateTimeOffset? end,
///         int? count, CancellationToken cancellationToken) =>
///         Task.FromResult&lt;IReadOnlyList&lt;Sample&gt;&gt;(Samples
///             .Where(s =&gt; s.Metric == metric &amp;&amp; (start is null || s.T &gt;= start) &amp;&amp; (end is null || s.T &lt;= end))
///             .OrderByDescending(s =&gt; s.T).Take(count ?? int.MaxValue).ToList());
/// }
/// </code>
/// </example>
public interface IKomlogdRuntime
{
    /// <summary>
    /// Stores a sample. The sample is already validated (uri, value, time normalised). Called by
    /// <see cref="Datasource.Insert"/> and <see cref="Datapoint.Insert"/>; it should not block for long
    /// (queue the write and return).
    /// </summary>
    /// <param name="sample">The sample to store.</param>
    void Insert(Sample sample);

    /// <summary>
    /// Reads samples of <paramref name="metric"/> with <paramref name="start"/> ≤ t ≤ <paramref name="end"/>,
    /// newest first, at most <paramref name="count"/>. Bounds are already normalised
    /// (<see cref="Sample.NormalizeTime"/>) and checked (start ≤ end, count ≥ 1); null means unbounded.
    /// </summary>
    /// <param name="metric">The metric to read.</param>
    /// <param name="start">The earliest time, inclusive, or null.</param>
    /// <param name="end">The latest time, inclusive, or null.</param>
    /// <param name="count">The most samples to return (the newest), or null for all.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The samples, newest first.</returns>
    Task<IReadOnlyList<Sample>> GetAsync(
        Metric metric,
        DateTimeOffset? start,
        DateTimeOffset? end,
        int? count,
        CancellationToken cancellationToken);

    /// <summary>
    /// A package bound a transfer method with <see cref="TransferMethods.Bind(Delegate, Schedule, IReadOnlyDictionary{string, object}, IReadOnlyList{string})"/>: the host starts
    /// scheduling it. Called after the method is in <see cref="TransferMethods.Bound"/>, on the package's
    /// thread; do not block. The default does nothing.
    /// </summary>
    /// <param name="method">The method, its schedule and parameters.</param>
    void OnBound(TransferMethodInfo method)
    {
    }

    /// <summary>
    /// A package unbound a transfer method (<see cref="TransferMethods.Unbind"/>): the host stops
    /// scheduling it. A run already started may still finish. Called on the same runtime that got
    /// <see cref="OnBound"/> for it. The default does nothing.
    /// </summary>
    /// <param name="method">The method that was bound.</param>
    void OnUnbound(TransferMethodInfo method)
    {
    }
}
