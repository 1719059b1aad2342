namespace Komlogd.Protocol.Control;

/// <summary>A sample sent to the agent through the control socket.</summary>
/// <param name="Uri">The uri.</param>
/// <param name="Type">datasource or datapoint (<see cref="SampleTypes"/>).</param>
/// <param name="T">Unix ms, UTC; null for "now" (then the sample moves to the next free millisecond).</param>
/// <param name="Value">Text, or the decimal in invariant form.</param>
public sealed record ControlSample(string Uri, string Type, long? T, string Value);
