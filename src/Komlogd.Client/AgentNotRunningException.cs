namespace Komlogd.Client;

/// <summary>No komlogd agent listens on the control socket the session was to connect to.</summary>
/// <example>
/// <code>
/// try { await using var session = await KomlogdSession.ConnectAsync(); }
/// catch (AgentNotRunningException e) { Console.Error.WriteLine(e.Message); }
/// </code>
/// </example>
public sealed class AgentNotRunningException : KomlogdClientException
{
    /// <summary>Creates one naming the socket.</summary>
    /// <param name="socketPath">The control socket nobody listens on.</param>
    /// <param name="inner">The socket's error, if there was one.</param>
    public AgentNotRunningException(string socketPath, Exception? inner = null)
        : base($"no komlogd agent is listening on {socketPath}: start it with 'komlogd' (its config dir holds the socket)", null, inner)
    {
        SocketPath = socketPath;
    }

    /// <summary>The control socket nobody listens on.</summary>
    public string SocketPath { get; }
}
