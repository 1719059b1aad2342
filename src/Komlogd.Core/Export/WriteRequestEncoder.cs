using System.Globalization;
using Google.Protobuf;
using Komlogd.Core.Export.RemoteWrite;
using Komlogd.Core.Store;

namespace Komlogd.Core.Export;

/// <summary>
/// Samples → a remote-write 1.0 body: a protobuf <c>WriteRequest</c> (generated from Export/Proto),
/// snappy block-compressed. One <c>TimeSeries</c> per uri, its labels sorted by name as the protocol asks,
/// its samples in time order (the outbox reads in commit order, which is not time order when a package
/// writes a past time).
/// </summary>
internal sealed class WriteRequestEncoder(ExportBlock block)
{
    // One label set per uri for the block's life: a uri's labels never change.
    private readonly Dictionary<string, Label[]> _labels = new(StringComparer.Ordinal);

    public byte[] Encode(IReadOnlyList<SequencedSample> samples)
    {
        var request = new WriteRequest();
        var series = new Dictionary<string, TimeSeries>(StringComparer.Ordinal);
        foreach (var s in samples)
        {
            if (!series.TryGetValue(s.Uri, out var ts))
            {
                ts = new TimeSeries();
                ts.Labels.Add(Labels(s.Uri));
                series[s.Uri] = ts;
                request.Timeseries.Add(ts);
            }
            ts.Samples.Add(new Sample { Timestamp = s.TimeMs, Value = double.Parse(s.Value, NumberStyles.Float, CultureInfo.InvariantCulture) });
        }
        foreach (var ts in request.Timeseries)
        {
            if (!IsSorted(ts.Samples))
            {
                var sorted = ts.Samples.OrderBy(x => x.Timestamp).ToList();
                ts.Samples.Clear();
                ts.Samples.Add(sorted);
            }
        }
        return Snappier.Snappy.CompressToArray(request.ToByteArray());
    }

    private static bool IsSorted(IList<Sample> samples)
    {
        for (var i = 1; i < samples.Count; i++)
        {
            if (samples[i].Timestamp < samples[i - 1].Timestamp)
            {
                return false;
            }
        }
        return true;
    }

    /// <summary>__name__, instance, job, uri and the block's labels, sorted by name (byte order, as Prometheus sorts).</summary>
    public Label[] Labels(string uri)
    {
        if (!_labels.TryGetValue(uri, out var labels))
        {
            var all = new List<Label>
            {
                new() { Name = "__name__", Value = SeriesNames.MetricName(uri) },
                new() { Name = "instance", Value = block.Instance },
                new() { Name = "job", Value = SeriesNames.Job },
                new() { Name = SeriesNames.UriLabel, Value = uri },
            };
            all.AddRange(block.Labels.Select(l => new Label { Name = l.Key, Value = l.Value }));
            all.Sort((a, b) => string.CompareOrdinal(a.Name, b.Name));
            _labels[uri] = labels = [.. all];
        }
        return labels;
    }
}
