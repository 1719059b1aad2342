using System.Text;

namespace Komlogd.Sdk;

/// <summary>
/// A metric of text samples, each at most <see cref="Limits.MaxDatasourceBytes"/> bytes of UTF-8: the
/// counterpart of the Python <c>Datasource(uri, supplies=None)</c>.
/// </summary>
/// <example>
/// <code>
/// var df = new Datasource("host.occupation", supplies: ["root", "home"]);
/// df.Insert(DateTimeOffset.UtcNow, output);
/// </code>
/// </example>
public sealed class Datasource : Metric
{
    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <summary>Creates a datasource.</summary>
    /// <param name="uri">A local or global uri (see <see cref="Uris"/>).</param>
    /// <param name="supplies">
    /// Names of the datapoints whose values this datasource's texts carry, each a local uri relative to
    /// this one (<c>root</c> names <c>host.occupation.root</c>). It governs the agent's automatic datapoints
    /// (docs/identification.md), as in the original: null (absent) = create every datapoint found in the texts;
    /// empty = none; a list = only those names. Values a user named are extracted whatever it says.
    /// </param>
    /// <exception cref="ArgumentException">The uri or a supplied name breaks a uri rule; the message says which.</exception>
    public Datasource(string uri, IReadOnlyList<string>? supplies = null)
        : base(uri, nameof(uri))
    {
        if (supplies is null)
        {
            return;
        }
        var names = new List<string>(supplies.Count);
        foreach (var name in supplies)
        {
            if (!Uris.TryValidateLocal(name, out var error))
            {
                throw new ArgumentException($"supplies: {error}", nameof(supplies));
            }
            if (!Uris.TryValidate($"{Uri}.{name}", out error))
            {
                throw new ArgumentException($"supplies: '{name}' under '{Uri}': {error}", nameof(supplies));
            }
            if (!names.Contains(name, StringComparer.Ordinal))
            {
                names.Add(name);
            }
        }
        Supplies = names.AsReadOnly();
    }

    /// <summary>
    /// The datapoint names given at construction, without duplicates, in order; null when none was given
    /// (absent: the agent creates every datapoint it finds), which is not the same as empty (none).
    /// </summary>
    public IReadOnlyList<string>? Supplies { get; }

    /// <inheritdoc/>
    public override MetricKind Kind => MetricKind.Datasource;

    /// <summary>Stores a text sample at <paramref name="t"/> (truncated to the millisecond, in UTC).</summary>
    /// <param name="t">The sample's time.</param>
    /// <param name="value">The text, at most <see cref="Limits.MaxDatasourceBytes"/> bytes of UTF-8.</param>
    /// <exception cref="ArgumentException">The text is too long or not valid UTF-16; nothing is stored.</exception>
    /// <exception cref="InvalidOperationException">No runtime is attached (see <see cref="Hosting.KomlogdRuntime"/>).</exception>
    /// <example>
    /// <code>
    /// new Datasource("host.uptime").Insert(DateTimeOffset.UtcNow, File.ReadAllText("/proc/uptime"));
    /// </code>
    /// </example>
    public void Insert(DateTimeOffset t, string value) => InsertCore(t, value, nameof(value));

    private protected override object CheckValue(object? value, string? paramName)
    {
        if (value is not string text)
        {
            throw new ArgumentException(
                $"datasource '{Uri}' holds text; got {(value is null ? "null" : value.GetType().Name)}", paramName);
        }
        int bytes;
        try
        {
            bytes = StrictUtf8.GetByteCount(text);
        }
        catch (EncoderFallbackException e)
        {
            throw new ArgumentException($"datasource '{Uri}': the text is not valid UTF-16 (a lone surrogate at index {e.Index})", paramName, e);
        }
        if (bytes > Limits.MaxDatasourceBytes)
        {
            throw new ArgumentException(
                $"datasource '{Uri}': the text is {bytes} bytes of UTF-8; the limit is {Limits.MaxDatasourceBytes}", paramName);
        }
        return text;
    }
}
