namespace Komlogd.Identification;

/// <summary>What automatic detection created (<see cref="Names"/>), what users forgot (never created again) and the row labels of each table seen (for the stability rule).</summary>
public sealed record AutomaticState
{
    /// <summary>Created automatic datapoints, in creation order.</summary>
    public IReadOnlyList<AutomaticName> Names { get; init; } = [];

    /// <summary>Automatic names a user forgot: never created again.</summary>
    public IReadOnlyList<string> Forgotten { get; init; } = [];

    /// <summary>Per table seen (by its header), the row labels of its latest sample and whether it proved volatile.</summary>
    public IReadOnlyList<TableHistory> Tables { get; init; } = [];
}
