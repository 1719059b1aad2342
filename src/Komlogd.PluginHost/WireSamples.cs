using System.Globalization;
using Komlogd.Sdk;

namespace Komlogd.PluginHost;

/// <summary>Between the SDK's samples and the wire's.</summary>
internal static class WireSamples
{
    public const string Datasource = "datasource";
    public const string Datapoint = "datapoint";

    public static WireSample ToWire(Sample s) => new(
        s.Metric.Uri,
        s.T.ToUnixTimeMilliseconds(),
        s.Metric.Kind == MetricKind.Datasource ? Datasource : Datapoint,
        s.Value is decimal d ? d.ToString(CultureInfo.InvariantCulture) : Convert.ToString(s.Value, CultureInfo.InvariantCulture)!);

    public static Sample FromWire(WireSample w) => w.Type == Datasource
        ? new Sample(new Datasource(w.Uri), DateTimeOffset.FromUnixTimeMilliseconds(w.T), w.Value)
        : new Sample(new Datapoint(w.Uri), DateTimeOffset.FromUnixTimeMilliseconds(w.T), decimal.Parse(w.Value, NumberStyles.Float, CultureInfo.InvariantCulture));

    public static string TypeOf(Metric m) => m.Kind == MetricKind.Datasource ? Datasource : Datapoint;
}
