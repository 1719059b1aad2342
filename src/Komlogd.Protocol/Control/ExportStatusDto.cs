namespace Komlogd.Protocol.Control;

/// <summary>One export block in the control socket's <c>status</c> (docs/export.md, "Status").</summary>
/// <param name="Target">The remote-write URL, the /metrics URL of a listen block, or <c>block N</c> for a block with a mistake.</param>
/// <param name="Kind">remote_write or listen.</param>
/// <param name="State">Running, Backoff or Disabled.</param>
/// <param name="LagSamples">Samples committed after the block's cursor (any uri; a replaced value counts once more).</param>
/// <param name="LagSeconds">How long the oldest of them has waited (0 when caught up).</param>
/// <param name="LastError">The last failure, or null: an HTTP status and its body, a connection error, or why the block is disabled.</param>
/// <param name="Sent">Samples delivered since the agent started (a listen block: values served to scrapes).</param>
/// <param name="Dropped">Samples dropped since the agent started because the back end answered a 4xx other than 429.</param>
/// <param name="Refused">Samples the back end refused as out of order, too old or a changed value at a stored time.</param>
public sealed record ExportStatusDto(string Target, string Kind, string State, long LagSamples, double LagSeconds, string? LastError, long Sent, long Dropped, long Refused);
