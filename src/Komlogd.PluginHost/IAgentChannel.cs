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

internal sealed class RpcAgentChannel(StreamJsonRpc.JsonRpc rpc) : IAgentChannel
{
    /// <exception cref="SamplesNotStoredException">The agent refused the batch or could not store it.</exception>
    public async Task<int> InsertAsync(SampleBatch batch, CancellationToken cancellationToken)
    {
        try
        {
            return await rpc.InvokeWithCancellationAsync<int>(HostMethods.Insert, [batch], cancellationToken).ConfigureAwait(false);
        }
        catch (StreamJsonRpc.RemoteInvocationException e)
        {
            throw new SamplesNotStoredException(e.ErrorCode, e.Message, e);
        }
    }

    public async Task<IReadOnlyList<WireSample>> GetAsync(GetRequest request, CancellationToken cancellationToken) =>
        await rpc.InvokeWithCancellationAsync<WireSample[]>(HostMethods.Get, [request], cancellationToken).ConfigureAwait(false);

    public Task SubscribeAsync(IReadOnlyList<string> uris, CancellationToken cancellationToken) =>
        rpc.InvokeWithCancellationAsync(HostMethods.Subscribe, [uris], cancellationToken);

    public Task UnsubscribeAsync(IReadOnlyList<string> uris, CancellationToken cancellationToken) =>
        rpc.InvokeWithCancellationAsync(HostMethods.Unsubscribe, [uris], cancellationToken);

    public Task LogAsync(LogEntry entry) => rpc.NotifyAsync(HostMethods.Log, entry);
}
