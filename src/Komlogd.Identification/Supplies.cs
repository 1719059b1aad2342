namespace Komlogd.Identification;

/// <summary>
/// A datasource's <c>supplies</c>, which governs automatic datapoints as in the original Komlog: absent =
/// create what is found (<see cref="All"/>), empty = none (<see cref="None"/>), a list = only those names
/// (<see cref="Only"/>). Names the user gave are extracted whatever supplies says.
/// </summary>
public sealed class Supplies
{
    Supplies(IReadOnlySet<string>? names) => Names = names;

    /// <summary>No supplies given: every automatic datapoint found is created (up to the cap).</summary>
    public static Supplies All { get; } = new(null);

    /// <summary>An empty supplies list: no automatic datapoints.</summary>
    public static Supplies None { get; } = new(new HashSet<string>());

    /// <summary>The names listed, or null for <see cref="All"/>.</summary>
    public IReadOnlySet<string>? Names { get; }

    /// <summary>Only these automatic names (as <see cref="AutomaticName.Name"/> spells them) are created and extracted.</summary>
    public static Supplies Only(IEnumerable<string> names)
    {
        ArgumentNullException.ThrowIfNull(names);
        var set = new HashSet<string>(names, StringComparer.Ordinal);
        return set.Count == 0 ? None : new Supplies(set);
    }

    /// <summary>From the SDK's shape: null = all, empty = none, else only those.</summary>
    public static Supplies From(IReadOnlyCollection<string>? names) => names is null ? All : Only(names);

    /// <summary>Whether the automatic name may be created and extracted.</summary>
    public bool Allows(string name) => Names is null || Names.Contains(name);
}
