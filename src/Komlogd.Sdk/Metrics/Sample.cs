namespace Komlogd.Sdk;

/// <summary>
/// One value of a metric at one time: the counterpart of the Python <c>Sample(metric, t, value)</c>. The
/// value is a <see cref="string"/> for a <see cref="Datasource"/> and a <see cref="decimal"/> for a
/// <see cref="Datapoint"/>; the time is in UTC, truncated to whole milliseconds (what the store keeps).
/// </summary>
/// <example>
/// <code>
/// var s = new Sample(new Datapoint("host.load"), DateTimeOffset.UtcNow, 0.5m);
/// decimal load = (decimal)s.Value;
/// </code>
/// </example>
public sealed class Sample : IEquatable<Sample>
{
    /// <summary>Creates a sample, checking the value against the metric.</summary>
    /// <param name="metric">The metric the value belongs to.</param>
    /// <param name="t">The time; kept in UTC, truncated to the millisecond.</param>
    /// <param name="value">
    /// Text for a datasource (at most <see cref="Limits.MaxDatasourceBytes"/> bytes of UTF-8); a decimal for a
    /// datapoint (integers are accepted and converted; <see cref="double"/> is refused because it does not
    /// convert exactly); 0 or 1 for an <see cref="Anomaly"/>.
    /// </param>
    /// <exception cref="ArgumentException">The value does not fit the metric; the message says why.</exception>
    public Sample(Metric metric, DateTimeOffset t, object value)
        : this(metric, t, value, nameof(value))
    {
    }

    internal Sample(Metric metric, DateTimeOffset t, object? value, string paramName)
    {
        ArgumentNullException.ThrowIfNull(metric);
        Metric = metric;
        T = NormalizeTime(t);
        Value = metric.Check(value, paramName);
    }

    /// <summary>The metric.</summary>
    public Metric Metric { get; }

    /// <summary>The time, in UTC (offset zero), whole milliseconds.</summary>
    public DateTimeOffset T { get; }

    /// <summary>A <see cref="string"/> (datasource) or a <see cref="decimal"/> (datapoint).</summary>
    public object Value { get; }

    /// <summary>
    /// The time as the store keeps it: converted to UTC and truncated (towards the past) to a whole
    /// millisecond.
    /// </summary>
    /// <param name="t">Any time.</param>
    /// <returns><paramref name="t"/> at offset zero without sub-millisecond ticks.</returns>
    /// <example>
    /// <code>
    /// Sample.NormalizeTime(DateTimeOffset.Parse("2025-01-01T02:00:00.1239+02:00")) // 2025-01-01T00:00:00.123+00:00
    /// </code>
    /// </example>
    public static DateTimeOffset NormalizeTime(DateTimeOffset t)
    {
        var ticks = t.UtcTicks;
        return new DateTimeOffset(ticks - (ticks % TimeSpan.TicksPerMillisecond), TimeSpan.Zero);
    }

    /// <summary>
    /// Checks the bounds of a read as <see cref="Metric.GetAsync"/> takes them and returns them normalized
    /// (<see cref="NormalizeTime"/>): for programs that read samples another way (Komlogd.Client).
    /// </summary>
    /// <param name="start">The earliest time, inclusive; null for no lower bound.</param>
    /// <param name="end">The latest time, inclusive; null for no upper bound.</param>
    /// <param name="count">The most samples to return; null for all.</param>
    /// <returns>The normalized bounds.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="count"/> is below 1.</exception>
    /// <exception cref="ArgumentException"><paramref name="start"/> is after <paramref name="end"/>.</exception>
    /// <example>
    /// <code>
    /// var (from, to) = Sample.CheckRange(DateTimeOffset.UtcNow.AddHours(-1), null, 10);
    /// </code>
    /// </example>
    public static (DateTimeOffset? From, DateTimeOffset? To) CheckRange(DateTimeOffset? start, DateTimeOffset? end, int? count)
    {
        if (count is < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(count), count, "count must be at least 1 (or null for no limit)");
        }
        var from = start is { } s ? NormalizeTime(s) : (DateTimeOffset?)null;
        var to = end is { } e ? NormalizeTime(e) : (DateTimeOffset?)null;
        if (from > to)
        {
            throw new ArgumentException($"start {from:O} is after end {to:O}", nameof(start));
        }
        return (from, to);
    }

    /// <inheritdoc/>
    public bool Equals(Sample? other) =>
        other is not null && other.Metric == Metric && other.T == T && other.Value.Equals(Value);

    /// <inheritdoc/>
    public override bool Equals(object? obj) => Equals(obj as Sample);

    /// <inheritdoc/>
    public override int GetHashCode() => HashCode.Combine(Metric, T, Value);

    /// <summary>The uri, the time (ISO 8601, UTC) and the value; long texts are cut for display.</summary>
    public override string ToString()
    {
        var value = Value is string text && text.Length > 60 ? string.Concat(text.AsSpan(0, 60), "…") : Value.ToString();
        return $"{Metric.Uri} {T.UtcDateTime:yyyy-MM-ddTHH:mm:ss.fffZ} {value}";
    }
}
