namespace Komlogd.Sdk;

/// <summary>
/// A metric of decimal numbers: the counterpart of the Python <c>Datapoint(uri)</c>. <see cref="Anomaly"/>
/// and <see cref="Tag"/> are datapoints at derived uris.
/// </summary>
/// <example>
/// <code>
/// var load = new Datapoint("host.load.1m");
/// load.Insert(DateTimeOffset.UtcNow, 0.42m);
/// </code>
/// </example>
public class Datapoint : Metric
{
    /// <summary>Creates a datapoint.</summary>
    /// <param name="uri">A local or global uri (see <see cref="Uris"/>).</param>
    /// <exception cref="ArgumentException">The uri breaks a rule; the message says which.</exception>
    public Datapoint(string uri)
        : this(uri, nameof(uri))
    {
    }

    private protected Datapoint(string uri, string? paramName)
        : base(uri, paramName)
    {
    }

    /// <inheritdoc/>
    public sealed override MetricKind Kind => MetricKind.Datapoint;

    /// <summary>Stores a number at <paramref name="t"/> (truncated to the millisecond, in UTC).</summary>
    /// <param name="t">The sample's time.</param>
    /// <param name="value">The number.</param>
    /// <exception cref="ArgumentException">The value is not allowed for this metric (an <see cref="Anomaly"/> takes 0 or 1).</exception>
    /// <exception cref="InvalidOperationException">No runtime is attached (see <see cref="Hosting.KomlogdRuntime"/>).</exception>
    /// <example>
    /// <code>
    /// new Datapoint("host.users").Insert(DateTimeOffset.UtcNow, 3);
    /// </code>
    /// </example>
    public void Insert(DateTimeOffset t, decimal value) => InsertCore(t, value, nameof(value));

    private protected override object CheckValue(object? value, string? paramName) => value switch
    {
        decimal d => d,
        // Integers convert exactly; binary floating point does not (0.1 is not 0.1), so it is refused
        // rather than silently changed.
        int or long or short or sbyte or byte or ushort or uint or ulong => Convert.ToDecimal(value, System.Globalization.CultureInfo.InvariantCulture),
        double or float => throw new ArgumentException(
            $"datapoint '{Uri}' holds decimal numbers; got {value.GetType().Name} (convert explicitly, e.g. (decimal)x, or write 1.5m)", paramName),
        null => throw new ArgumentException($"datapoint '{Uri}' holds decimal numbers; got null", paramName),
        _ => throw new ArgumentException($"datapoint '{Uri}' holds decimal numbers; got {value.GetType().Name}", paramName),
    };
}
