namespace Komlogd.Protocol.Channel;

/// <summary>Thrown by a handler: the caller gets an error with this code and message (ErrorCodes).</summary>
internal sealed class RpcErrorException(int code, string message) : Exception(message)
{
    public int Code { get; } = code;
}

/// <summary>A request's arguments are missing or of the wrong shape: answered InvalidParams.</summary>
internal sealed class RpcArgumentException(string message) : Exception(message);

/// <summary>The peer answered a call of this end's with an error.</summary>
internal sealed class RemoteErrorException(int code, string message) : Exception(message)
{
    /// <summary>The error's code: one of ErrorCodes, or JSON-RPC's own (negative).</summary>
    public int Code { get; } = code;
}

/// <summary>The channel is closed: nothing more can be sent or answered on it.</summary>
internal sealed class ChannelLostException(string message, Exception? inner = null) : IOException(message, inner);
