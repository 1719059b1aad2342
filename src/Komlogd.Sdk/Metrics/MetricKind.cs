namespace Komlogd.Sdk;

/// <summary>What a metric holds. A uri holds one kind for its whole life.</summary>
/// <example>
/// <code>
/// var kind = new Datapoint("host.load").Kind; // MetricKind.Datapoint
/// </code>
/// </example>
public enum MetricKind
{
    /// <summary>Text samples (<see cref="Datasource"/>), up to <see cref="Limits.MaxDatasourceBytes"/> bytes of UTF-8.</summary>
    Datasource = 1,

    /// <summary>Decimal numbers (<see cref="Datapoint"/>, <see cref="Anomaly"/>, <see cref="Tag"/>).</summary>
    Datapoint = 2,
}
