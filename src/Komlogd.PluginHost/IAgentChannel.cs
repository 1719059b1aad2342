using Komlogd.Protocol.Channel;
using Komlogd.Protocol;

namespace Komlogd.PluginHost;

/// <summary>
/// The host's calls to the agent. Over JSON-RPC in the real host (<see cref="RpcAgentChannel"/>); tests of
/// the scheduler and runtime use an in-memory one.
/// </summary>
internal interface IAgentChannel
{
    Task<int> InsertAsync(SampleBatch batch, CancellationToken cancellationToken);
    Task<IReadOnlyList<WireSample>> GetAsync(GetRequest request, CancellationToken cancellationToken);
    Task SubscribeAsync(IReadOnlyList<string> uris, CancellationToken cancellationToken);
    Task UnsubscribeAsync(IReadOnlyList<string> uris, CancellationToken cancellationToken);
    Task LogAsync(LogEntry entry);
}

/// <summary>The host's calls to the agent over the channel (docs/protocol.md lists them).</summary>
internal sealed class RpcAgentChannel(RpcChannel channel) : IAgentChannel
{
    /// <exception cref="SamplesNotStoredException">The agent refused the batch or could not store it.</exception>
    public async Task<int> InsertAsync(SampleBatch batch, CancellationToken cancellationToken)
    {
        try
        {
            return await channel.InvokeAsync(HostMethods.Insert, batch, HostWire.SampleBatch, HostWire.Int32, cancellationToken).ConfigureAwait(false);
        }
        catch (RemoteErrorException e)
        {
            throw new SamplesNotStoredException(e.Code, e.Message, e);
        }
    }

    public async Task<IReadOnlyList<WireSample>> GetAsync(GetRequest request, CancellationToken cancellationToken) =>
        await channel.InvokeAsync(HostMethods.Get, request, HostWire.GetRequest, HostWire.WireSamples, cancellationToken).ConfigureAwait(false);

    public Task SubscribeAsync(IReadOnlyList<string> uris, CancellationToken cancellationToken) =>
        channel.InvokeAsync(HostMethods.Subscribe, uris, HostWire.StringList, HostWire.Any, cancellationToken);

    public Task UnsubscribeAsync(IReadOnlyList<string> uris, CancellationToken cancellationToken) =>
        channel.InvokeAsync(HostMethods.Unsubscribe, uris, HostWire.StringList, HostWire.Any, cancellationToken);

    public Task LogAsync(LogEntry entry) => channel.NotifyAsync(HostMethods.Log, entry, HostWire.LogEntry);
}
