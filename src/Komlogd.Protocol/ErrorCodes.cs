namespace Komlogd.Protocol;

/// <summary>
/// JSON-RPC error codes the agent and its hosts answer with (docs/protocol.md lists which method answers
/// which). A client tells a refusal it caused (<see cref="Refused"/>: fix the input) from a failure it may
/// retry (<see cref="StoreFailed"/>, <see cref="AgentStopping"/>).
/// </summary>
public static class ErrorCodes
{
    /// <summary>Host: <c>initialize</c> carried another protocol version.</summary>
    public const int ProtocolMismatch = 1;

    /// <summary>Host: <c>initialize</c> was called twice.</summary>
    public const int AlreadyInitialized = 2;

    /// <summary>
    /// Agent: a sample breaks a rule, a batch is malformed, or a type is unknown: nothing of the request
    /// was stored, and sending it again will not help.
    /// </summary>
    public const int Refused = 10;

    /// <summary>Agent: this agent runs without a store.</summary>
    public const int NoStore = 11;

    /// <summary>Agent: it is stopping and takes no more samples.</summary>
    public const int AgentStopping = 12;

    /// <summary>
    /// Agent: the store could not write (disk full, database busy or damaged): nothing of the batch was
    /// stored; a later try may succeed. The agent's status names the error until a write succeeds.
    /// </summary>
    public const int StoreFailed = 13;

    /// <summary>Control socket: no venv of that name.</summary>
    public const int NoSuchVenv = 20;

    /// <summary>Control socket: this agent cannot reload (it was not started from a configuration).</summary>
    public const int CannotReload = 21;
}
