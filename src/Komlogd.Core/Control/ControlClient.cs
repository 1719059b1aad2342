using System.Net.Sockets;
using Komlogd.Protocol;
using Komlogd.Protocol.Control;
using StreamJsonRpc;

namespace Komlogd.Core.Control;

/// <summary>A CLI's connection to a running agent's control socket.</summary>
public sealed class ControlClient : IDisposable
{
    private readonly JsonRpc _rpc;

    private ControlClient(JsonRpc rpc) => _rpc = rpc;

    /// <summary>Connects when an agent listens on <paramref name="socketPath"/>; null when none runs.</summary>
    public static async Task<ControlClient?> TryConnectAsync(string socketPath, CancellationToken cancellationToken = default)
    {
        if (!File.Exists(socketPath))
        {
            return null;
        }
        var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        try
        {
            await socket.ConnectAsync(new UnixDomainSocketEndPoint(socketPath), cancellationToken).ConfigureAwait(false);
        }
        catch (SocketException)
        {
            // A dead agent's socket file: nobody listens.
            socket.Dispose();
            return null;
        }
        var stream = new NetworkStream(socket, ownsSocket: true);
        var rpc = new JsonRpc(new HeaderDelimitedMessageHandler(stream, stream, new SystemTextJsonFormatter()));
        rpc.StartListening();
        return new ControlClient(rpc);
    }

    public Task<long[]> InsertAsync(IReadOnlyList<ControlSample> samples, CancellationToken cancellationToken = default) =>
        Call<long[]>(ControlMethods.Insert, [samples], cancellationToken);

    public Task<IdentifyResult> IdentifyAsync(IdentifyRequest request, CancellationToken cancellationToken = default) =>
        Call<IdentifyResult>(ControlMethods.Identify, [request], cancellationToken);

    public Task<AgentStatus> StatusAsync(CancellationToken cancellationToken = default) =>
        Call<AgentStatus>(ControlMethods.Status, [], cancellationToken);

    public Task<string[]> ReloadAsync(CancellationToken cancellationToken = default) =>
        Call<string[]>(ControlMethods.Reload, [], cancellationToken);

    /// <summary>venv.start, venv.stop or venv.restart.</summary>
    public Task<VenvStatusDto> VenvAsync(string method, string venv, CancellationToken cancellationToken = default) =>
        Call<VenvStatusDto>(method, [venv], cancellationToken);

    private async Task<T> Call<T>(string method, object?[] args, CancellationToken cancellationToken)
    {
        try
        {
            return await _rpc.InvokeWithCancellationAsync<T>(method, args, cancellationToken).ConfigureAwait(false);
        }
        catch (RemoteInvocationException e)
        {
            // A refusal is the caller's input (exit 2); a store that cannot write is the machine's (exit 1).
            throw new KomlogdException(e.Message, e.ErrorCode == ErrorCodes.StoreFailed ? ExitCodes.Failure : ExitCodes.Usage);
        }
        catch (ConnectionLostException)
        {
            throw new KomlogdException("the agent closed the control connection (is it stopping?)", ExitCodes.Failure);
        }
    }

    public void Dispose() => _rpc.Dispose();
}
