namespace Komlogd.Protocol.Control;

/// <summary>A running venv's transfer-method runs in <see cref="VenvStatusDto"/>.</summary>
/// <param name="Total">Runs that ended since its child started.</param>
/// <param name="Failed">Of those, runs that failed (threw, or their samples were not stored).</param>
/// <param name="Running">Runs started and not ended when the child answered.</param>
/// <param name="Pending">Updates committed for the child that it had not received when it answered (they may start runs).</param>
public sealed record RunsDto(long Total, long Failed, int Running, int Pending);
