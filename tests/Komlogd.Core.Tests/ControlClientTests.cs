using System.Net.Sockets;
using System.Text;
using Komlogd.Core.Control;

namespace Komlogd.Core.Tests;

/// <summary>
/// An answer the CLI's client cannot read (an agent of another version still running, a broken answer) is one
/// line and exit 1, not a stack trace. The agent's own end never writes these: a socket of the test's answers.
/// </summary>
public sealed class ControlClientTests : IDisposable
{
    private readonly TempDir _dir = new("controlclient");

    [Theory]
    [InlineData("{oops")]
    [InlineData("""{"jsonrpc":"2.0","id":1,"result":{"Pid":1}}""")]
    [InlineData("""{"jsonrpc":"2.0","id":1}""")]
    [InlineData("""{"jsonrpc":"2.0","id":1,"result":{"Pid":"one"}}""")]
    public async Task AnAnswerItCannotReadIsOneLineAndExit1(string body)
    {
        var path = _dir["agent.sock"];
        using var listener = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        listener.Bind(new UnixDomainSocketEndPoint(path));
        listener.Listen(1);
        var answering = AnswerOnceAsync(listener, body);

        using var client = await ControlClient.TryConnectAsync(path);
        var e = await Assert.ThrowsAsync<KomlogdException>(() => client!.StatusAsync());
        await answering;

        Assert.Equal(ExitCodes.Failure, e.ExitCode);
        Assert.StartsWith("cannot read the agent's answer to 'status' (", e.Message, StringComparison.Ordinal);
        Assert.EndsWith("if komlogd was updated while the agent ran, restart the agent", e.Message, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', e.Message);
    }

    /// <summary>Reads the request's headers and body, then writes <paramref name="body"/> in the agent's framing.</summary>
    private static async Task AnswerOnceAsync(Socket listener, string body)
    {
        using var peer = await listener.AcceptAsync();
        var request = new StringBuilder();
        var buffer = new byte[4096];
        while (!request.ToString().Contains("}", StringComparison.Ordinal))
        {
            var n = await peer.ReceiveAsync(buffer);
            request.Append(Encoding.UTF8.GetString(buffer, 0, n));
        }
        var bytes = Encoding.UTF8.GetBytes(body);
        await peer.SendAsync(Encoding.ASCII.GetBytes($"Content-Length: {bytes.Length}\r\n\r\n"));
        await peer.SendAsync(bytes);
    }

    public void Dispose() => _dir.Dispose();
}
