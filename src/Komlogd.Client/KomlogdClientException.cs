namespace Komlogd.Client;

/// <summary>
/// The agent refused a request or could not carry it out; the message is one line saying why, as the
/// agent put it (e.g. <c>uri 'host.log' holds datasources; a datapoint cannot be stored there</c>).
/// </summary>
/// <example>
/// <code>
/// try { await session.SendSamplesAsync(samples); }
/// catch (KomlogdClientException e) when (e.ErrorCode == ErrorCodes.StoreFailed) { /* try again later */ }
/// </code>
/// </example>
public class KomlogdClientException : Exception
{
    /// <summary>Creates one with the agent's error code (<see cref="Protocol.ErrorCodes"/>), if it gave one.</summary>
    /// <param name="message">One line: what went wrong.</param>
    /// <param name="errorCode">The agent's error code, or null.</param>
    /// <param name="inner">The channel's exception.</param>
    public KomlogdClientException(string message, int? errorCode = null, Exception? inner = null)
        : base(message, inner)
    {
        ErrorCode = errorCode;
    }

    /// <summary>
    /// <see cref="Protocol.ErrorCodes.Refused"/>: the input breaks a rule, sending it again will not help;
    /// <see cref="Protocol.ErrorCodes.StoreFailed"/>: the agent's store could not write, a later try may work;
    /// null when the agent gave no code (the connection was lost).
    /// </summary>
    public int? ErrorCode { get; }
}
