namespace Komlogd.PluginHost;

/// <summary>
/// The agent answered <c>samples.insert</c> with an error: nothing of the batch was stored.
/// <see cref="ErrorCode"/> tells a refusal (<see cref="Protocol.ErrorCodes.Refused"/>: a rule broken,
/// sending again will not help) from a store failure (<see cref="Protocol.ErrorCodes.StoreFailed"/>: disk
/// full, database busy; a later batch may be stored).
/// </summary>
internal sealed class SamplesNotStoredException(int errorCode, string message, Exception inner) : Exception(message, inner)
{
    public int ErrorCode { get; } = errorCode;
}
