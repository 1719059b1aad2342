namespace Komlogd.Identification;

/// <summary>A value a user named: the contexts of the numbers named so (positives) and of those marked wrong for it (negatives).</summary>
/// <param name="Name">One uri level (<c>[A-Za-z0-9_-]+</c>).</param>
/// <param name="Positives">Newest last; at most <see cref="DatasourceModel.MaxExamples"/>.</param>
/// <param name="Negatives">Newest last; at most <see cref="DatasourceModel.MaxExamples"/>.</param>
public sealed record NamedValue(string Name, IReadOnlyList<NumberContext> Positives, IReadOnlyList<NumberContext> Negatives);
