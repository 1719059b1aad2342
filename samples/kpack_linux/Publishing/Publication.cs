namespace Kpack.Linux.Publishing;

/// <summary>
/// What one report publishes, as uris relative to the host's resources root
/// (<c>pkg.kpack_linux.&lt;host&gt;.system.resources</c>).
/// </summary>
/// <param name="Datasources">The text of <c>cpu</c>, <c>memory</c>, <c>storage</c>, <c>network</c>, with the datapoint names each supplies.</param>
/// <param name="Datapoints">Every number, e.g. <c>cpu.all.user</c>, <c>storage.vda.util</c>.</param>
/// <param name="Anomalies">The judged metric's uri (its anomaly is <c>&lt;uri&gt;._anomaly</c>) and 0 or 1.</param>
internal sealed record Publication(
    IReadOnlyList<PublishedText> Datasources,
    IReadOnlyList<KeyValuePair<string, decimal>> Datapoints,
    IReadOnlyList<KeyValuePair<string, decimal>> Anomalies)
{
    /// <summary>The value of the datapoint at <paramref name="uri"/>, or null.</summary>
    public decimal? Datapoint(string uri) => Find(Datapoints, uri);

    /// <summary>The anomaly written for the metric at <paramref name="uri"/>, or null.</summary>
    public decimal? Anomaly(string uri) => Find(Anomalies, uri);

    private static decimal? Find(IReadOnlyList<KeyValuePair<string, decimal>> list, string uri)
    {
        foreach (var (k, v) in list)
        {
            if (k == uri)
            {
                return v;
            }
        }
        return null;
    }
}
