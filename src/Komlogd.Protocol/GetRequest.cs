namespace Komlogd.Protocol;

/// <summary>The parameter of <c>samples.get</c>.</summary>
/// <param name="Uri">The metric's uri.</param>
/// <param name="Type">datasource or datapoint: what the reader expects; null for whatever the uri holds.</param>
/// <param name="Start">Unix ms, inclusive, or null.</param>
/// <param name="End">Unix ms, inclusive, or null.</param>
/// <param name="Count">At most this many (newest), or null.</param>
public sealed record GetRequest(string Uri, string? Type, long? Start, long? End, int? Count);
