namespace Komlogd.Core.Supervision;

/// <summary>A child's transfer-method runs, as it answered <c>runs</c> (docs/protocol.md).</summary>
/// <param name="Total">Runs that ended since the child started.</param>
/// <param name="Failed">Of those, runs that failed (threw, or their samples were not stored).</param>
/// <param name="Running">Runs started and not ended when it answered.</param>
/// <param name="Pending">Updates committed for the child that it had not received when it answered: they may start runs.</param>
public sealed record ChildRuns(long Total, long Failed, int Running, int Pending)
{
    /// <summary>No run going and no update on its way: nothing more will run until something new is written.</summary>
    public bool Idle => Running == 0 && Pending == 0;
}
