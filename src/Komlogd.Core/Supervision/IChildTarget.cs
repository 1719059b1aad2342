namespace Komlogd.Core.Supervision;

/// <summary>
/// What serves a child's calls on the agent's side of its channel (DataPath/AgentServer): it also sends the
/// child its updates, so a question that must come after them on the channel goes through it.
/// </summary>
public interface IChildTarget : IDisposable
{
    /// <summary>Asks the child for its runs, after every update already committed for it.</summary>
    /// <exception cref="ChildLostException">The channel is gone.</exception>
    /// <exception cref="ChildRefusedException">The child answered with an error.</exception>
    Task<ChildRuns> RunsAsync(CancellationToken cancellationToken);
}
