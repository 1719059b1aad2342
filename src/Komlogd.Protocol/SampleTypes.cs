namespace Komlogd.Protocol;

/// <summary>The names of the two sample types, as every channel and the CLI's JSON write them.</summary>
public static class SampleTypes
{
    /// <summary>Text samples.</summary>
    public const string Datasource = "datasource";

    /// <summary>Decimal numbers.</summary>
    public const string Datapoint = "datapoint";
}
