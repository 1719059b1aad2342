namespace Komlogd.Core.Store;

/// <summary>
/// What one <see cref="SampleStore.Insert"/> did: the time each row was stored at, and which rows changed
/// nothing because the store already held that value at that uri and time (as the original, such a sample
/// triggers no transfer method: SampleHub publishes only the rows that changed something).
/// </summary>
public sealed class InsertResult(long[] times, bool[]? unchanged)
{
    /// <summary>Each row's stored time (unix ms), in the order given.</summary>
    public long[] Times { get; } = times;

    /// <summary>Rows that were already stored with the same value.</summary>
    public int UnchangedCount { get; } = unchanged?.Count(u => u) ?? 0;

    /// <summary>True unless row <paramref name="row"/> was already stored with the same value.</summary>
    public bool Changed(int row) => unchanged is null || !unchanged[row];
}
