namespace Komlogd.Core.Store;

/// <summary>A stored sample with its commit sequence number, as the export cursor reads it.</summary>
/// <param name="Seq">Its place in commit order (a replaced value has the number of its replacement).</param>
/// <param name="Uri">The uri.</param>
/// <param name="TimeMs">Unix ms, UTC.</param>
/// <param name="Value">The text, or the decimal in invariant form.</param>
public readonly record struct SequencedSample(long Seq, string Uri, long TimeMs, string Value);
