namespace Komlogd.Sdk;

/// <summary>
/// A key/value label on a metric over time: a <see cref="Datapoint"/> at
/// <c>&lt;uri&gt;._tags.&lt;key&gt;.&lt;value&gt;</c>, the counterpart of the Python
/// <c>Tag(metric, key, value)</c>.
/// </summary>
/// <example>
/// <code>
/// var tag = new Tag(new Datasource("host.log"), "severity", "high"); // "host.log._tags.severity.high"
/// tag.Insert(t, 1);
/// </code>
/// </example>
public sealed class Tag : Datapoint
{
    /// <summary>The level between a metric's uri and a tag's key.</summary>
    public const string Infix = "_tags";

    /// <summary>Creates the tag <paramref name="key"/>=<paramref name="value"/> of <paramref name="metric"/>.</summary>
    /// <param name="metric">The tagged metric; its uri may be local or global.</param>
    /// <param name="key">One uri level: letters, digits, <c>-</c> and <c>_</c>, no dots.</param>
    /// <param name="value">One uri level, like <paramref name="key"/>.</param>
    /// <exception cref="ArgumentException">The key or value is not one uri level, or the derived uri is too long.</exception>
    public Tag(Metric metric, string key, string value)
        : base(UriOf(metric, key, value), nameof(metric))
    {
        Metric = metric;
        Key = key;
        Value = value;
    }

    /// <summary>The tagged metric.</summary>
    public Metric Metric { get; }

    /// <summary>The tag's key.</summary>
    public string Key { get; }

    /// <summary>The tag's value (a name, not the sample's number).</summary>
    public string Value { get; }

    private static string UriOf(Metric metric, string key, string value)
    {
        ArgumentNullException.ThrowIfNull(metric);
        CheckLevel(key, "key", nameof(key));
        CheckLevel(value, "value", nameof(value));
        return $"{metric.Uri}.{Infix}.{key}.{value}";
    }

    // One level is a local uri without dots: the same words as Uris for the same characters.
    private static void CheckLevel(string level, string what, string paramName)
    {
        if (level is null || !Uris.IsLocal(level) || level.Contains('.', StringComparison.Ordinal))
        {
            throw new ArgumentException($"tag {what} '{level}' must be one uri level: [A-Za-z0-9-_]+, no dots", paramName);
        }
    }
}
