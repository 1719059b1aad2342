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
    public Task<int> InsertAsync(SampleBatch batch, CancellationToken cancellationToken) =>
        rpc.InvokeWithCancellationAsync<int>(Methods.Insert, [batch], cancellationToken);

    public async Task<IReadOnlyList<WireSample>> GetAsync(GetRequest request, CancellationToken cancellationToken) =>
        await rpc.InvokeWithCancellationAsync<WireSample[]>(Methods.Get, [request], cancellationToken).ConfigureAwait(false);

    public Task SubscribeAsync(IReadOnlyList<string> uris, CancellationToken cancellationToken) =>
        rpc.InvokeWithCancellationAsync(Methods.Subscribe, [uris], cancellationToken);

    public Task UnsubscribeAsync(IReadOnlyList<string> uris, CancellationToken cancellationToken) =>
        rpc.InvokeWithCancellationAsync(Methods.Unsubscribe, [uris], cancellationToken);

    public Task LogAsync(LogEntry entry) => rpc.NotifyAsync(Methods.Log, entry);
}
