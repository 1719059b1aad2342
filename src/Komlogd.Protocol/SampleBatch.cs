namespace Komlogd.Protocol;

/// <summary>
/// The samples of one <c>samples.insert</c>, by column: each distinct (uri, type) once in
/// <see cref="Uris"/>/<see cref="Types"/>, then one entry per sample in <see cref="UriIndex"/>,
/// <see cref="T"/> and <see cref="Values"/>. A batch of 10,000 samples of one metric is three flat arrays
/// rather than 10,000 objects of four named strings: about a third of the bytes, and the agent parses and
/// checks each uri once (docs/benchmarks.md, store).
/// </summary>
/// <param name="Uris">The distinct uris of the batch.</param>
/// <param name="Types">datasource or datapoint, one per entry of <paramref name="Uris"/>.</param>
/// <param name="UriIndex">Per sample: its uri's index in <paramref name="Uris"/>.</param>
/// <param name="T">Per sample: unix milliseconds, UTC.</param>
/// <param name="Values">Per sample: the text, or the decimal in invariant form.</param>
/// <param name="Run">
/// The transfer method whose run's inserts these are (its id in the host), or null for plain inserts. The
/// agent hands it back with the updates this batch causes to the same host (<c>samples.updated</c>), so
/// the host does not run that method again on its own writes.
/// </param>
/// <param name="Supplies">
/// Per entry of <paramref name="Uris"/>, a datasource's <c>supplies</c> (protocol 5): null = absent (create
/// every datapoint found), empty = none, a list = only those names; null for datapoints. The whole column is
/// null when the batch holds no datasource: the stored supplies are kept.
/// </param>
public sealed record SampleBatch(string[] Uris, string[] Types, int[] UriIndex, long[] T, string[] Values, string? Run = null, string[]?[]? Supplies = null)
{
    /// <summary>The number of samples.</summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public int Count => UriIndex.Length;
}
