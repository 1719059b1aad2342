using System.Globalization;
using System.Net.Sockets;
using System.Text;
using Komlogd.Core.Control;
using Komlogd.Protocol.Control;

namespace Komlogd.Core.Tests;

/// <summary>
/// The CLI's client, both its loops (async, and the blocking one of <c>-u</c> and <c>status</c>), on what the
/// agent's own end never writes or rarely does: an answer it cannot read (an agent of another version still
/// running), other messages before the answer, an answer many times its buffer, a refusal, a connection that
/// closes. A socket of the test's answers; the agent's real end is in RunningAgentTests.
/// </summary>
public sealed class ControlClientTests : IDisposable
{
    private readonly TempDir _dir = new("controlclient");

    [Theory]
    [InlineData("{oops", false)]
    [InlineData("""{"jsonrpc":"2.0","id":1,"result":{"Pid":1}}""", false)]
    [InlineData("""{"jsonrpc":"2.0","id":1}""", false)]
    [InlineData("""{"jsonrpc":"2.0","id":1,"result":{"Pid":"one"}}""", false)]
    [InlineData("{oops", true)]
    [InlineData("""{"jsonrpc":"2.0","id":1,"result":{"Pid":"one"}}""", true)]
    public async Task AnAnswerItCannotReadIsOneLineAndExit1(string body, bool blocking)
    {
        using var listener = Listen();
        var answering = AnswerOnceAsync(listener, body);

        using var client = await Connect(blocking);
        var e = await Assert.ThrowsAsync<KomlogdException>(() => blocking ? Task.Run(client.StatusNow) : client.StatusAsync());
        await answering;

        Assert.Equal(ExitCodes.Failure, e.ExitCode);
        Assert.StartsWith("cannot read the agent's answer to 'status' (", e.Message, StringComparison.Ordinal);
        Assert.EndsWith("if komlogd was updated while the agent ran, restart the agent", e.Message, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', e.Message);
    }

    /// <summary>A notification and another call's answer come first; the answer is 20 times the client's 16 KiB buffer.</summary>
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task OtherMessagesAreSkippedAndAnAnswerLargerThanTheBufferIsReadWhole(bool blocking)
    {
        var big = new string('x', 20 * 16 * 1024);
        using var listener = Listen();
        var answering = AnswerOnceAsync(listener,
            """{"jsonrpc":"2.0","method":"progress","params":[]}""",
            """{"jsonrpc":"2.0","id":7,"result":{"Other":1}}""",
            $$$"""{"jsonrpc":"2.0","id":1,"result":{"LastError":"{{{big}}}","Pid":42}}""");

        using var client = await Connect(blocking);
        var json = blocking ? client.StatusJsonNow() : await client.StatusJsonAsync();
        await answering;

        var answer = System.Text.Json.JsonDocument.Parse(json).RootElement;
        Assert.Equal(big, answer.GetProperty("lastError").GetString());
        Assert.Equal(42, answer.GetProperty("pid").GetInt32());
    }

    /// <summary>The agent's refusal is the user's input (exit 2); a store that cannot write is the machine's (exit 1).</summary>
    [Theory]
    [InlineData(-32602, ExitCodes.Usage, false)]
    [InlineData(13, ExitCodes.Failure, false)]
    [InlineData(-32602, ExitCodes.Usage, true)]
    [InlineData(13, ExitCodes.Failure, true)]
    public async Task AnErrorAnswerIsItsMessageAndExitCode(int code, int exitCode, bool blocking)
    {
        using var listener = Listen();
        var answering = AnswerOnceAsync(listener, $$$"""{"jsonrpc":"2.0","id":1,"error":{"code":{{{code}}},"message":"uri 'a': refused"}}""");

        using var client = await Connect(blocking);
        ControlSample[] samples = [new("a", "datapoint", null, "1")];
        var e = await Assert.ThrowsAsync<KomlogdException>(() => blocking ? Task.Run(() => client.InsertNow(samples)) : client.InsertAsync(samples));
        await answering;

        Assert.Equal(("uri 'a': refused", exitCode), (e.Message, e.ExitCode));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task AnAgentThatClosesBeforeAnsweringIsOneLineAndExit1(bool blocking)
    {
        using var listener = Listen();
        var answering = AnswerOnceAsync(listener);

        using var client = await Connect(blocking);
        var e = await Assert.ThrowsAsync<KomlogdException>(() => blocking ? Task.Run(client.StatusNow) : client.StatusAsync());
        await answering;

        Assert.Equal(("the agent closed the control connection (is it stopping?)", ExitCodes.Failure), (e.Message, e.ExitCode));
    }

    /// <summary>A socket file nobody listens on (a dead agent's), and none at all: no agent, so the caller stores without one or says so.</summary>
    [Fact]
    public async Task NoListenerIsNoAgent()
    {
        var path = _dir["agent.sock"];
        using var bound = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        bound.Bind(new UnixDomainSocketEndPoint(path));
        Assert.True(File.Exists(path));

        Assert.Null(ControlClient.TryConnect(path));
        Assert.Null(await ControlClient.TryConnectAsync(path));
        Assert.Null(ControlClient.TryConnect(_dir["none.sock"]));
        Assert.Null(await ControlClient.TryConnectAsync(_dir["none.sock"]));
    }

    /// <summary>A plain file where the socket should be, and a path longer than a Unix socket's 107 bytes: no agent can listen there.</summary>
    [Fact]
    public void APathNoAgentCanListenOnIsNoAgent()
    {
        File.WriteAllText(_dir["agent.sock"], "");
        var deep = Directory.CreateDirectory(Path.Combine(_dir.Path, new string('d', 60), new string('e', 60))).FullName;
        var longPath = Path.Combine(deep, "agent.sock");
        File.WriteAllText(longPath, "");

        Assert.Null(ControlClient.TryConnect(_dir["agent.sock"]));
        Assert.Null(ControlClient.TryConnect(longPath));
    }

    private Socket Listen()
    {
        var listener = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        listener.Bind(new UnixDomainSocketEndPoint(_dir["agent.sock"]));
        listener.Listen(1);
        return listener;
    }

    private async Task<ControlClient> Connect(bool blocking) =>
        (blocking ? ControlClient.TryConnect(_dir["agent.sock"]) : await ControlClient.TryConnectAsync(_dir["agent.sock"]))
        ?? throw new InvalidOperationException("the test's listener did not accept");

    /// <summary>Reads the request's headers and body, then writes each of <paramref name="bodies"/> in the agent's framing and closes.</summary>
    private static async Task AnswerOnceAsync(Socket listener, params string[] bodies)
    {
        using var peer = await listener.AcceptAsync();
        var request = new StringBuilder();
        var buffer = new byte[4096];
        // Headers, then Content-Length bytes of body (ASCII here): all of it, so closing drops nothing unread.
        while (request.ToString().Split("\r\n\r\n") is not [var headers, var body] || body.Length < int.Parse(headers["Content-Length: ".Length..], CultureInfo.InvariantCulture))
        {
            var n = await peer.ReceiveAsync(buffer);
            Assert.NotEqual(0, n);
            request.Append(Encoding.UTF8.GetString(buffer, 0, n));
        }
        Assert.Contains("\"id\":1,", request.ToString(), StringComparison.Ordinal);
        foreach (var body in bodies)
        {
            var bytes = Encoding.UTF8.GetBytes(body);
            await peer.SendAsync(Encoding.ASCII.GetBytes($"Content-Length: {bytes.Length}\r\n\r\n"));
            await peer.SendAsync(bytes);
        }
    }

    public void Dispose() => _dir.Dispose();
}
