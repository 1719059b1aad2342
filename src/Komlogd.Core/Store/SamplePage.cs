namespace Komlogd.Core.Store;

/// <summary>What one read of the export cursor returns.</summary>
/// <param name="Samples">The rows that passed the filter, in commit order.</param>
/// <param name="LastSeq">
/// The highest seq the read covered, passed or not: the next read starts after it. Equal to the seq asked
/// for when nothing new was committed.
/// </param>
public sealed record SamplePage(IReadOnlyList<SequencedSample> Samples, long LastSeq);
