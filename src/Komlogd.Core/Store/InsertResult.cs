namespace Komlogd.Core.Store;

/// <summary>
/// What one <see cref="SampleStore.Insert"/> did: the time each row was stored at, and which rows changed
/// nothing because the store already held that value at that uri and time (as the original, such a sample
/// triggers no transfer method: SampleHub publishes only the rows that changed something).
/// </summary>
public sealed class InsertResult(long[] times, bool[]? unchanged, IReadOnlyList<NewSample>? extracted = null)
{
    /// <summary>Each row's stored time (unix ms), in the order given.</summary>
    public long[] Times { get; } = times;

    /// <summary>Rows that were already stored with the same value.</summary>
    public int UnchangedCount { get; } = unchanged?.Count(u => u) ?? 0;

    /// <summary>True unless row <paramref name="row"/> was already stored with the same value.</summary>
    public bool Changed(int row) => unchanged is null || !unchanged[row];

    /// <summary>
    /// The datapoint samples that identification extracted from this batch's texts and wrote in the same
    /// transaction (each at its text's stored time); rows that met a stored sample are not here: an
    /// extraction never replaces one.
    /// </summary>
    public IReadOnlyList<NewSample> Extracted { get; } = extracted ?? [];
}
