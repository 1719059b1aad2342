using Komlogd.Protocol;

namespace Komlogd.Core.Store;

/// <summary>What a uri holds. A uri holds one type for its whole life, as in Komlog.</summary>
public enum SampleType
{
    /// <summary>Text samples (up to 128 KiB of UTF-8).</summary>
    Datasource = 1,

    /// <summary>Decimal numbers.</summary>
    Datapoint = 2,
}

public static class SampleTypeNames
{
    public static string Name(this SampleType type) => type == SampleType.Datasource ? SampleTypes.Datasource : SampleTypes.Datapoint;

    /// <summary>The type named <c>datasource</c> or <c>datapoint</c>; false for anything else.</summary>
    public static bool TryParse(string? name, out SampleType type)
    {
        (var known, type) = name switch
        {
            SampleTypes.Datasource => (true, SampleType.Datasource),
            SampleTypes.Datapoint => (true, SampleType.Datapoint),
            _ => (false, default),
        };
        return known;
    }
}
