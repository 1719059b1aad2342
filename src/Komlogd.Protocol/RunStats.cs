namespace Komlogd.Protocol;

/// <summary>The answer to <c>runs</c>: a host's transfer-method runs since it started.</summary>
/// <param name="Total">Runs that ended (committed or failed).</param>
/// <param name="Failed">Runs that threw, or whose samples the agent did not store.</param>
/// <param name="Running">
/// Runs started and not ended when the host answered, those waiting for an earlier run of the same method
/// included. The host reads it after every update the agent sent before the request (one channel, in order).
/// </param>
public sealed record RunStats(long Total, long Failed, int Running);
