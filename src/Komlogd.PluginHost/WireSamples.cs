using System.Globalization;
using Komlogd.Protocol;
using Komlogd.Sdk;

namespace Komlogd.PluginHost;

/// <summary>Between the SDK's samples and the wire's.</summary>
internal static class WireSamples
{
    /// <summary>
    /// Encodes samples as one <see cref="SampleBatch"/>. Metrics are told apart by kind and uri (as
    /// <see cref="Metric.Equals(Metric?)"/>), so a datasource and a datapoint at one uri stay two entries
    /// and the agent refuses the batch as it would refuse the two samples.
    /// </summary>
    public static SampleBatch ToBatch(IReadOnlyList<Sample> samples)
    {
        var index = new Dictionary<Metric, int>();
        var uris = new List<string>();
        var types = new List<string>();
        var uriIndex = new int[samples.Count];
        var times = new long[samples.Count];
        var values = new string[samples.Count];
        List<string[]?>? supplies = null;
        Metric? last = null;
        var lastIndex = 0;
        for (var i = 0; i < samples.Count; i++)
        {
            var s = samples[i];
            // A batch is mostly runs of one metric (a package inserting in a loop): skip the lookup then.
            if (!ReferenceEquals(s.Metric, last))
            {
                if (!index.TryGetValue(s.Metric, out lastIndex))
                {
                    lastIndex = uris.Count;
                    index.Add(s.Metric, lastIndex);
                    uris.Add(s.Metric.Uri);
                    types.Add(TypeOf(s.Metric));
                    if (s.Metric is Datasource ds)
                    {
                        // Null (absent) stays null on the wire: it is not the same as empty (none).
                        supplies ??= [.. new string[]?[lastIndex]];
                        supplies.Add(ds.Supplies is { } names ? [.. names] : null);
                    }
                    else
                    {
                        supplies?.Add(null);
                    }
                }
                last = s.Metric;
            }
            uriIndex[i] = lastIndex;
            times[i] = s.T.ToUnixTimeMilliseconds();
            values[i] = ValueText(s);
        }
        return new SampleBatch([.. uris], [.. types], uriIndex, times, values, Supplies: supplies?.ToArray());
    }

    public static Sample FromWire(WireSample w) => w.Type == SampleTypes.Datasource
        ? new Sample(new Datasource(w.Uri), DateTimeOffset.FromUnixTimeMilliseconds(w.T), w.Value)
        : new Sample(new Datapoint(w.Uri), DateTimeOffset.FromUnixTimeMilliseconds(w.T), decimal.Parse(w.Value, NumberStyles.Float, CultureInfo.InvariantCulture));

    public static string TypeOf(Metric m) => m.Kind == MetricKind.Datasource ? SampleTypes.Datasource : SampleTypes.Datapoint;

    // Sample's constructor made the value a string (datasource) or a decimal (datapoint).
    private static string ValueText(Sample s) => s.Value as string ?? ((decimal)s.Value).ToString(CultureInfo.InvariantCulture);
}
