namespace Komlogd.Protocol.Control;

/// <summary>
/// One <c>komlogd identify</c> operation on a datasource (<see cref="ControlMethods.Identify"/>): what the CLI asks
/// the running agent, or runs on the store itself when no agent listens.
/// </summary>
/// <param name="Uri">The datasource's uri.</param>
/// <param name="Operation">One of <see cref="IdentifyOperations"/>.</param>
/// <param name="At">Unix ms: the sample at or before this time; null for the latest.</param>
/// <param name="Index">The number's index (from 1) in the listing of the sample (name, not).</param>
/// <param name="Position">Or its UTF-16 position in the text (name).</param>
/// <param name="Name">The name: one uri level for a user's name (name, not, forget).</param>
/// <param name="Backfill">With name: also extract the name from the stored samples, without notifying subscribers.</param>
/// <param name="From">With backfill: only samples at or after this time (unix ms).</param>
public sealed record IdentifyRequest(string Uri, string Operation, long? At = null, int? Index = null, int? Position = null, string? Name = null, bool Backfill = false, long? From = null);

/// <summary>The values of <see cref="IdentifyRequest.Operation"/>.</summary>
public static class IdentifyOperations
{
    /// <summary>List the sample's numbers, indexed from 1, with the names they feed.</summary>
    public const string Show = "show";

    /// <summary>Name a number.</summary>
    public const string Name = "name";

    /// <summary>Mark an extraction wrong: the number is not that name.</summary>
    public const string Not = "not";

    /// <summary>Stop extracting a name.</summary>
    public const string Forget = "forget";

    /// <summary>Re-run extraction over the stored samples, learning nothing: per name found / missing / ambiguous.</summary>
    public const string Check = "check";
}
