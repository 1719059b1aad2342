namespace Komlogd.Identification;

/// <summary>
/// <see cref="Matcher.HeaderSimilarity"/> remembered per pair of header lists, by reference: a sample's
/// tables share one list per table and a model's automatic names share one list per header (see
/// <see cref="DatasourceModel"/>), so one extraction compares each pair once, not once per name.
/// </summary>
internal sealed class HeaderMemo
{
    readonly Dictionary<(IReadOnlyList<string>, IReadOnlyList<string>), double> known = new(PairComparer.Instance);

    public double Of(IReadOnlyList<string> a, IReadOnlyList<string> b)
    {
        if (!known.TryGetValue((a, b), out var s))
        {
            s = known[(a, b)] = Matcher.HeaderSimilarity(a, b);
        }
        return s;
    }

    public bool Alike(IReadOnlyList<string> a, IReadOnlyList<string> b) => Of(a, b) >= 0.5;

    sealed class PairComparer : IEqualityComparer<(IReadOnlyList<string>, IReadOnlyList<string>)>
    {
        public static readonly PairComparer Instance = new();

        public bool Equals((IReadOnlyList<string>, IReadOnlyList<string>) x, (IReadOnlyList<string>, IReadOnlyList<string>) y) =>
            ReferenceEquals(x.Item1, y.Item1) && ReferenceEquals(x.Item2, y.Item2);

        public int GetHashCode((IReadOnlyList<string>, IReadOnlyList<string>) obj) =>
            HashCode.Combine(System.Runtime.CompilerServices.RuntimeHelpers.GetHashCode(obj.Item1), System.Runtime.CompilerServices.RuntimeHelpers.GetHashCode(obj.Item2));
    }
}
