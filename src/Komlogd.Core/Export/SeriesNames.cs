using System.Text;

namespace Komlogd.Core.Export;

/// <summary>
/// How a uri becomes a Prometheus series (docs/export.md, "Mapping"). The metric name is the uri with every
/// character outside <c>[A-Za-z0-9_]</c> (dots, dashes, a global uri's colon) turned into <c>_</c>, and a
/// <c>_</c> in front when it would start with a digit: <c>host.cpu.user-pct</c> → <c>host_cpu_user_pct</c>.
/// Two uris may share a name (<c>a.b</c>, <c>a_b</c>); the <c>uri</c> label, the exact uri, keeps them apart.
/// </summary>
public static class SeriesNames
{
    public const string Job = "komlogd";
    public const string UriLabel = "uri";

    /// <summary>Labels a user cannot set: the exporter sets them.</summary>
    public static readonly IReadOnlySet<string> Reserved = new HashSet<string>(StringComparer.Ordinal) { "__name__", "job", "instance", UriLabel };

    public static string MetricName(string uri)
    {
        var name = new StringBuilder(uri.Length + 1);
        if (uri.Length > 0 && char.IsAsciiDigit(uri[0]))
        {
            name.Append('_');
        }
        foreach (var c in uri)
        {
            name.Append(char.IsAsciiLetterOrDigit(c) || c == '_' ? c : '_');
        }
        return name.ToString();
    }
}
