namespace Komlogd.Protocol;

/// <summary>A sample on the wire, as <c>samples.get</c> answers and <c>samples.updated</c> carries it.</summary>
/// <param name="Uri">The metric's uri.</param>
/// <param name="T">Unix milliseconds, UTC.</param>
/// <param name="Type"><see cref="SampleTypes.Datasource"/> or <see cref="SampleTypes.Datapoint"/>.</param>
/// <param name="Value">The text, or the decimal in invariant form.</param>
public sealed record WireSample(string Uri, long T, string Type, string Value);
