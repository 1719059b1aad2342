namespace Komlogd.Identification;

/// <summary>
/// A table seen in this datasource's samples: its header words, the row labels of its latest sample, and
/// whether its labels changed so much between two samples (more than half new) that its rows are not things
/// (processes, timestamps): a volatile table gets no new automatic datapoints.
/// </summary>
public sealed record TableHistory(IReadOnlyList<string> Table, IReadOnlyList<string> Labels, bool Volatile);
