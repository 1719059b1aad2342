using Komlogd.Sdk.Hosting;

namespace Komlogd.Sdk;

/// <summary>
/// A named series of samples: the base of <see cref="Datasource"/> (text) and <see cref="Datapoint"/>
/// (numbers). Two metrics are equal when they have the same <see cref="Kind"/> and the same
/// <see cref="Uri"/> (compared ordinally; a local uri and the global uri of the same user's metric are not
/// told equal, because the SDK does not know the agent's username).
/// </summary>
/// <remarks>
/// <see cref="Datasource.Insert"/>, <see cref="Datapoint.Insert"/> and <see cref="GetAsync"/> go through
/// the runtime the plugin host attaches (<see cref="KomlogdRuntime"/>). In a package's own unit tests,
/// attach a test double with <see cref="KomlogdRuntime.Use"/>.
/// </remarks>
/// <example>
/// <code>
/// Metric cpu = new Datapoint("host.cpu.user");
/// var last10 = await cpu.GetAsync(count: 10);
/// </code>
/// </example>
public abstract class Metric : IEquatable<Metric>
{
    // private protected: the kinds are closed (the store knows two), so only this assembly derives.
    private protected Metric(string uri, string? paramName)
    {
        Uri = Uris.Validate(uri, paramName);
    }

    /// <summary>The metric's uri: local (<c>host.cpu</c>) or global (<c>alice:host.cpu</c>).</summary>
    public string Uri { get; }

    /// <summary>True for a global uri (<c>user:uri</c>), another user's or an explicitly qualified metric.</summary>
    public bool IsGlobal => Uri.Contains(':', StringComparison.Ordinal);

    /// <summary>What the metric holds: text or numbers.</summary>
    public abstract MetricKind Kind { get; }

    /// <summary>
    /// Reads samples of this metric, newest first: those with <paramref name="start"/> ≤ t ≤
    /// <paramref name="end"/>, at most <paramref name="count"/> of them. A bound left null is open; with no
    /// count every sample in the range is returned.
    /// </summary>
    /// <param name="start">The earliest time, inclusive; null for no lower bound.</param>
    /// <param name="end">The latest time, inclusive; null for no upper bound.</param>
    /// <param name="count">The most samples to return (the newest ones); null for no limit.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="count"/> is below 1.</exception>
    /// <exception cref="ArgumentException"><paramref name="start"/> is after <paramref name="end"/>.</exception>
    /// <exception cref="InvalidOperationException">No runtime is attached (see <see cref="KomlogdRuntime"/>).</exception>
    /// <example>
    /// <code>
    /// var lastHour = await new Datapoint("host.load").GetAsync(start: DateTimeOffset.UtcNow.AddHours(-1));
    /// </code>
    /// </example>
    public Task<IReadOnlyList<Sample>> GetAsync(
        DateTimeOffset? start = null,
        DateTimeOffset? end = null,
        int? count = null,
        CancellationToken cancellationToken = default)
    {
        var (from, to) = Sample.CheckRange(start, end, count);
        return KomlogdRuntime.Required.GetAsync(this, from, to, count, cancellationToken);
    }

    /// <summary>Checks a value for this metric and returns it in canonical form, or throws <see cref="ArgumentException"/>.</summary>
    private protected abstract object CheckValue(object? value, string? paramName);

    internal object Check(object? value, string? paramName) => CheckValue(value, paramName);

    private protected void InsertCore(DateTimeOffset t, object value, string paramName)
    {
        // Validate first: a bad value is the package's mistake whether or not a runtime is attached.
        var sample = new Sample(this, t, value, paramName);
        KomlogdRuntime.Required.Insert(sample);
    }

    /// <inheritdoc/>
    public bool Equals(Metric? other) =>
        other is not null && other.Kind == Kind && string.Equals(other.Uri, Uri, StringComparison.Ordinal);

    /// <inheritdoc/>
    public override bool Equals(object? obj) => Equals(obj as Metric);

    /// <inheritdoc/>
    public override int GetHashCode() => HashCode.Combine(Kind, StringComparer.Ordinal.GetHashCode(Uri));

    /// <summary>The kind and uri, e.g. <c>Datapoint host.load</c>.</summary>
    public override string ToString() => $"{Kind} {Uri}";

    /// <summary>Equal kind and uri.</summary>
    public static bool operator ==(Metric? left, Metric? right) => left is null ? right is null : left.Equals(right);

    /// <summary>Different kind or uri.</summary>
    public static bool operator !=(Metric? left, Metric? right) => !(left == right);
}
