namespace Komlogd.Protocol.Control;

/// <summary>A sample sent to the agent through the control socket.</summary>
/// <param name="Uri">The uri.</param>
/// <param name="Type">datasource or datapoint (<see cref="SampleTypes"/>).</param>
/// <param name="T">Unix ms, UTC; null for "now" (then the sample moves to the next free millisecond).</param>
/// <param name="Value">Text, or the decimal in invariant form.</param>
/// <param name="Supplies">For a datasource: the supplies to store with it; null keeps the stored ones.</param>
public sealed record ControlSample(string Uri, string Type, long? T, string Value, DatasourceSupplies? Supplies = null);

/// <summary>A datasource's <c>supplies</c> (docs/identification.md).</summary>
/// <param name="Names">Null = absent (create every datapoint found), empty = none, a list = only those names.</param>
public sealed record DatasourceSupplies(string[]? Names);
