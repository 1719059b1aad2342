namespace Komlogd.Sdk;

/// <summary>
/// Marks a metric as anomalous (1) or normal (0) over time: a <see cref="Datapoint"/> at
/// <c>&lt;uri&gt;._anomaly</c>, the counterpart of the Python <c>Anomaly(metric)</c>.
/// </summary>
/// <example>
/// <code>
/// var anomaly = new Anomaly(new Datapoint("host.load.1m")); // uri "host.load.1m._anomaly"
/// anomaly.Insert(t, 1);
/// </code>
/// </example>
public sealed class Anomaly : Datapoint
{
    /// <summary>The last level of every anomaly uri.</summary>
    public const string Suffix = "_anomaly";

    /// <summary>Creates the anomaly metric of <paramref name="metric"/>.</summary>
    /// <param name="metric">The metric the anomaly is about; its uri may be local or global.</param>
    /// <exception cref="ArgumentException">The derived uri is too long.</exception>
    public Anomaly(Metric metric)
        : base(UriOf(metric), nameof(metric))
    {
        Metric = metric;
    }

    /// <summary>The metric this anomaly is about.</summary>
    public Metric Metric { get; }

    private static string UriOf(Metric metric)
    {
        ArgumentNullException.ThrowIfNull(metric);
        return $"{metric.Uri}.{Suffix}";
    }

    private protected override object CheckValue(object? value, string? paramName)
    {
        var number = (decimal)base.CheckValue(value, paramName);
        if (number is not (0m or 1m))
        {
            throw new ArgumentException($"anomaly '{Uri}' takes 0 (normal) or 1 (anomalous); got {number}", paramName);
        }
        return number;
    }
}
