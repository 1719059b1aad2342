namespace Komlogd.Protocol.Channel;

internal static class RpcChannelLimits
{
    /// <summary>Larger frames are a broken peer, not a message: the channel ends.</summary>
    public const int MaxFrame = 256 << 20;

    /// <summary>Longer headers are a broken peer: the channel ends.</summary>
    public const int MaxHeaders = 4096;
}
