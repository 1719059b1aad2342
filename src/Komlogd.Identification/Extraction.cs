namespace Komlogd.Identification;

/// <summary>
/// One name's result for one sample. Only <see cref="ExtractionStatus.Found"/> carries a value; the
/// integrator writes <c>&lt;datasource uri&gt;.&lt;Name&gt;</c> = <see cref="Value"/> at the sample's time.
/// </summary>
/// <param name="Name">A user's name (one uri level) or an automatic name (<c>row.column</c> or <c>key</c>).</param>
/// <param name="Status">Found, Missing or Ambiguous.</param>
/// <param name="Value">The value when found.</param>
/// <param name="Position">The number's UTF-16 index in the text when found, else -1.</param>
/// <param name="Length">The number's length when found, else 0.</param>
/// <param name="Automatic">Created by automatic detection rather than named by a user.</param>
public sealed record Extraction(string Name, ExtractionStatus Status, decimal? Value, int Position, int Length, bool Automatic)
{
    internal static Extraction Missing(string name, bool automatic) => new(name, ExtractionStatus.Missing, null, -1, 0, automatic);

    internal static Extraction Ambiguous(string name, bool automatic) => new(name, ExtractionStatus.Ambiguous, null, -1, 0, automatic);

    internal static Extraction Found(string name, FoundNumber n, bool automatic) => new(name, ExtractionStatus.Found, n.Value, n.Position, n.Length, automatic);
}
