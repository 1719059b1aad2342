using System.Collections.Concurrent;
using System.IO.Pipes;
using System.Text;
using Komlogd.Protocol.Channel;
using Komlogd.Protocol;
using StreamJsonRpc;

namespace Komlogd.PluginHost.Tests;

/// <summary>
/// The host's own JSON-RPC end against the agent's: StreamJsonRpc with the formatter and framing the agent
/// uses (PluginHostChild), over two real OS pipes. What the agent sends in every way it does, and every way
/// the channel can end.
/// </summary>
public sealed class RpcChannelTests : IAsyncDisposable
{
    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(1);

    private readonly AnonymousPipeServerStream _toHost = new(PipeDirection.Out);
    private readonly AnonymousPipeClientStream _hostIn;
    private readonly AnonymousPipeServerStream _toAgent = new(PipeDirection.Out);
    private readonly AnonymousPipeClientStream _agentIn;
    private readonly StringWriter _hostErrors = new();
    private readonly RpcChannel _channel;
    private readonly HostTarget _host = new();
    private readonly AgentTarget _agentTarget = new();
    private JsonRpc? _agent;

    public RpcChannelTests()
    {
        _hostIn = new AnonymousPipeClientStream(PipeDirection.In, _toHost.ClientSafePipeHandle);
        _agentIn = new AnonymousPipeClientStream(PipeDirection.In, _toAgent.ClientSafePipeHandle);
        _channel = new RpcChannel(_hostIn, _toAgent, TextWriter.Synchronized(_hostErrors));
    }

    /// <summary>The agent's end as PluginHostChild makes it.</summary>
    private JsonRpc StartBoth()
    {
        _agent = new JsonRpc(new HeaderDelimitedMessageHandler(_toHost, _agentIn, new SystemTextJsonFormatter()));
        _agent.AddLocalRpcTarget(_agentTarget);
        _agent.StartListening();
        _channel.Start(_host);
        return _agent;
    }

    [Fact]
    public async Task TheAgentsCallsAreAnsweredWithTheirResultsAndTheirErrorCodes()
    {
        var agent = StartBoth();

        Assert.Equal(42L, await agent.InvokeAsync<long>(HostMethods.Ping, 42L).WaitAsync(Timeout));
        Assert.Equal(new RunStats(3, 1, 0), await agent.InvokeAsync<RunStats>(HostMethods.Runs).WaitAsync(Timeout));
        var loaded = await agent.InvokeAsync<InitializeResult>(HostMethods.Initialize, new InitializeRequest(Handshake.Version, "v", "/x/ünï.dll")).WaitAsync(Timeout);
        Assert.Equal(new PackageInfo("/x/ünï.dll", "1.0", null), Assert.Single(loaded.Packages));

        var refused = await Assert.ThrowsAsync<RemoteInvocationException>(() => agent.InvokeAsync<InitializeResult>(HostMethods.Initialize, new InitializeRequest(0, "v", "e")));
        Assert.Equal(ErrorCodes.ProtocolMismatch, refused.ErrorCode);
        Assert.Equal("protocol version 0 is not 5", refused.Message);
        var failed = await Assert.ThrowsAsync<RemoteInvocationException>(() => agent.InvokeAsync(HostMethods.Shutdown));
        Assert.Equal(RpcChannel.InvocationError, failed.ErrorCode);
        Assert.Equal("the stop failed", failed.Message);
        // InvalidParams: StreamJsonRpc reads it as its own "no method takes these arguments".
        var missing = await Assert.ThrowsAsync<RemoteMethodNotFoundException>(() => agent.InvokeAsync<long>(HostMethods.Ping));
        Assert.Equal(StreamJsonRpc.Protocol.JsonRpcErrorCode.InvalidParams, missing.ErrorCode);
        Assert.Equal("ping: argument 0 is missing", missing.Message);
        var wrong = await Assert.ThrowsAsync<RemoteMethodNotFoundException>(() => agent.InvokeAsync<long>(HostMethods.Ping, "x"));
        Assert.StartsWith("ping: argument 0 is not a Int64: ", wrong.Message);
        await Assert.ThrowsAsync<RemoteMethodNotFoundException>(() => agent.InvokeAsync("no.such.method"));
        // Still answering after every error.
        Assert.Equal(7L, await agent.InvokeAsync<long>(HostMethods.Ping, 7L).WaitAsync(Timeout));
    }

    [Fact]
    public async Task UpdatesAreTakenInTheOrderSentSoARequestAfterThemSeesThemAll()
    {
        var agent = StartBoth();
        var sample = new WireSample("a.b", 1, SampleTypes.Datapoint, "1");

        for (var i = 0; i < 500; i++)
        {
            await agent.NotifyAsync(HostMethods.Updated, new[] { sample }, i % 2 == 0 ? "run" : null);
        }
        // Large enough to take many reads, and a buffer larger than the reader's first.
        var many = Enumerable.Range(0, 60_000).Select(i => new WireSample($"m.{i}", i, SampleTypes.Datasource, "ünïcode \"text\"\n")).ToArray();
        await agent.NotifyAsync(HostMethods.Updated, [many, null]);
        var runs = await agent.InvokeAsync<RunStats>(HostMethods.Runs).WaitAsync(Timeout);

        Assert.Equal("", _hostErrors.ToString());
        Assert.Equal(500 + 60_000, _host.Updated);
        Assert.Equal(250, _host.WithRun);
        Assert.Equal(new RunStats(3, 1, 0), runs);
        Assert.Equal(many[^1], _host.Last);
    }

    [Fact]
    public async Task TheHostsCallsReachTheAgentAndItsRefusalsComeBackWithTheirCodes()
    {
        StartBoth();
        var channel = new RpcAgentChannel(_channel);
        var batch = new SampleBatch(["a.b"], [SampleTypes.Datapoint], [0, 0], [1, 2], ["1", "2"], Run: "m", Supplies: [null]);

        Assert.Equal(2, await channel.InsertAsync(batch, CancellationToken.None).WaitAsync(Timeout));
        Assert.Equal(["a.b", "a.b"], _agentTarget.Inserted.Select(r => r.Uri));
        var read = await channel.GetAsync(new GetRequest("a.b", null, null, null, 1), CancellationToken.None).WaitAsync(Timeout);
        Assert.Equal(new WireSample("a.b", 2, SampleTypes.Datapoint, "2"), Assert.Single(read));
        await channel.SubscribeAsync(["x.y", "z"], CancellationToken.None).WaitAsync(Timeout);
        Assert.Equal(["x.y", "z"], _agentTarget.Subscribed);
        await channel.LogAsync(new LogEntry(LogLevels.Warning, "pkg", "said", null));
        await Eventually.WaitAsync(() => _agentTarget.Logs.Contains("Warning pkg said"), "the log notification", Timeout);

        var refused = await Assert.ThrowsAsync<SamplesNotStoredException>(() => channel.InsertAsync(batch with { Uris = ["BAD uri"] }, CancellationToken.None).WaitAsync(Timeout));
        Assert.Equal(ErrorCodes.Refused, refused.ErrorCode);
        Assert.Equal("uri 'BAD uri' is not valid", refused.Message);
        var notThere = await Assert.ThrowsAsync<RemoteErrorException>(() => _channel.InvokeAsync("nothing", 1, HostWire.Int32, HostWire.Int32, CancellationToken.None).WaitAsync(Timeout));
        Assert.Equal(RpcChannel.MethodNotFound, notThere.Code);
    }

    [Fact]
    public async Task ACallGivenUpEndsAtOnceAndTheAgentHearsOfIt()
    {
        StartBoth();
        using var cancel = new CancellationTokenSource();
        var call = new RpcAgentChannel(_channel).SubscribeAsync(["hang"], cancel.Token);
        await _agentTarget.Hanging.Task.WaitAsync(Timeout);

        await cancel.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => call.WaitAsync(Timeout));
        // StreamJsonRpc cancelled the method's token: it understood the host's $/cancelRequest.
        await _agentTarget.HangCancelled.Task.WaitAsync(Timeout);
        Assert.Equal(9L, await _agent!.InvokeAsync<long>(HostMethods.Ping, 9L).WaitAsync(Timeout));
    }

    [Fact]
    public async Task WhenTheAgentClosesTheChannelCallsInFlightFailAsLostAndTheChannelEnds()
    {
        StartBoth();
        var call = new RpcAgentChannel(_channel).SubscribeAsync(["hang"], CancellationToken.None);
        await _agentTarget.Hanging.Task.WaitAsync(Timeout);

        // As PluginHostChild.ShutdownAsync does: disposing the agent's JsonRpc closes the host's stdin.
        _agent!.Dispose();

        var lost = await Assert.ThrowsAsync<ChannelLostException>(() => call.WaitAsync(Timeout));
        Assert.Equal("the agent closed the channel", lost.Message);
        await _channel.Completion.WaitAsync(Timeout);
        Assert.True(_channel.Completion.IsCompletedSuccessfully);
        await Assert.ThrowsAsync<ChannelLostException>(() => _channel.NotifyAsync(HostMethods.Log, new LogEntry(LogLevels.Error, null, "late", null), HostWire.LogEntry));
        var late = await Assert.ThrowsAsync<ChannelLostException>(() => new RpcAgentChannel(_channel).SubscribeAsync(["late"], CancellationToken.None));
        Assert.Equal("the agent closed the channel", late.Message);
    }

    [Fact]
    public async Task AMessageThatIsNotJsonIsSaidOnStderrAndTheNextIsAnswered()
    {
        _channel.Start(_host);

        await WriteRawAsync("Content-Length: 9\r\nContent-Type: application/vscode-jsonrpc; charset=utf-8\r\n\r\nnot json!");
        await WriteRawAsync(Frame("""{"jsonrpc":"2.0","id":"s-1","method":"ping","params":[5]}"""));

        Assert.Equal("""{"jsonrpc":"2.0","id":"s-1","result":5}""", await ReadRawAnswerAsync());
        Assert.StartsWith("Komlogd.PluginHost: a message from the agent is not JSON, ignored: ", _hostErrors.ToString());
    }

    [Theory]
    [InlineData("Content-Type: x\r\n\r\n{}", "the channel broke: a frame has no Content-Length header")]
    [InlineData("Content-Length: -3\r\n\r\n{}", "the channel broke: Content-Length '-3' is not a length")]
    [InlineData("Content-Length: 2x\r\n\r\n{}", "the channel broke: Content-Length '2x' is not a length")]
    [InlineData("Content-Length: 300000000\r\n\r\n{}", "the channel broke: a frame of 300000000 bytes is over the limit of 268435456")]
    [InlineData("Content-Length: 50\r\n\r\n{}", "the channel broke: the input ended inside a frame's body")]
    public async Task ABrokenFrameEndsTheChannelWithOneLineSayingWhy(string raw, string why)
    {
        _channel.Start(_host);

        await WriteRawAsync(raw);
        _toHost.Dispose();

        var e = await Assert.ThrowsAsync<ChannelLostException>(() => _channel.Completion.WaitAsync(Timeout));
        Assert.Equal(why, e.Message);
    }

    private static string Frame(string json) => $"Content-Length: {Encoding.UTF8.GetByteCount(json)}\r\n\r\n{json}";

    private async Task WriteRawAsync(string text)
    {
        await _toHost.WriteAsync(Encoding.UTF8.GetBytes(text));
        await _toHost.FlushAsync();
    }

    private async Task<string> ReadRawAnswerAsync()
    {
        var buffer = new byte[4096];
        var text = "";
        while (!text.Contains("\r\n\r\n", StringComparison.Ordinal) || text.Length < text.IndexOf("\r\n\r\n", StringComparison.Ordinal) + 4 + BodyLength(text))
        {
            var n = await _agentIn.ReadAsync(buffer).AsTask().WaitAsync(Timeout);
            Assert.True(n > 0, "the host closed its output");
            text += Encoding.UTF8.GetString(buffer, 0, n);
        }
        return text[(text.IndexOf("\r\n\r\n", StringComparison.Ordinal) + 4)..];

        static int BodyLength(string t) => int.Parse(t["Content-Length: ".Length..t.IndexOf('\r', StringComparison.Ordinal)], System.Globalization.CultureInfo.InvariantCulture);
    }

    public async ValueTask DisposeAsync()
    {
        _agent?.Dispose();
        await _toHost.DisposeAsync();
        await _toAgent.DisposeAsync();
        await _hostIn.DisposeAsync();
        await _agentIn.DisposeAsync();
    }

    /// <summary>The host's side, as HostServer serves it, with answers a test can check.</summary>
    private sealed class HostTarget : IRpcTarget
    {
        public int Updated;
        public int WithRun;
        public WireSample? Last;

        public Task<RpcResult>? Invoke(string method, RpcArgs args)
        {
            switch (method)
            {
                case HostMethods.Ping:
                    return Task.FromResult(RpcResult.Of(args.Get(0, HostWire.Int64), HostWire.Int64));
                case HostMethods.Runs:
                    return Task.FromResult(RpcResult.Of(new RunStats(3, 1, 0), HostWire.RunStats));
                case HostMethods.Updated:
                    var samples = args.Get(0, HostWire.WireSamples);
                    Updated += samples.Length;
                    Last = samples[^1];
                    WithRun += args.GetOptional(1, HostWire.String) is null ? 0 : 1;
                    return Task.FromResult(RpcResult.Null);
                case HostMethods.Initialize:
                    var request = args.Get(0, HostWire.InitializeRequest);
                    return request.ProtocolVersion == Handshake.Version
                        ? Task.Run(() => RpcResult.Of(new InitializeResult(1, [new PackageInfo(request.EntryAssembly, "1.0", null)]), HostWire.InitializeResult))
                        : throw new RpcErrorException(ErrorCodes.ProtocolMismatch, $"protocol version {request.ProtocolVersion} is not {Handshake.Version}");
                case HostMethods.Shutdown:
                    return Task.Run(RpcResult () => throw new InvalidOperationException("the stop failed"));
                default:
                    return null;
            }
        }
    }

    /// <summary>The agent's side of the host's calls, as AgentServer names them.</summary>
    private sealed class AgentTarget
    {
        public ConcurrentQueue<WireSample> Inserted { get; } = new();
        public List<string> Subscribed { get; } = [];
        public ConcurrentBag<string> Logs { get; } = [];
        public TaskCompletionSource Hanging { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
        public TaskCompletionSource HangCancelled { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        [JsonRpcMethod(HostMethods.Insert)]
        public int Insert(SampleBatch batch)
        {
            if (batch.Uris.Any(u => u.Contains(' ', StringComparison.Ordinal)))
            {
                throw new LocalRpcException($"uri '{batch.Uris[0]}' is not valid") { ErrorCode = ErrorCodes.Refused };
            }
            for (var i = 0; i < batch.Count; i++)
            {
                Inserted.Enqueue(new WireSample(batch.Uris[batch.UriIndex[i]], batch.T[i], batch.Types[batch.UriIndex[i]], batch.Values[i]));
            }
            return batch.Count;
        }

        [JsonRpcMethod(HostMethods.Get)]
        public WireSample[] Get(GetRequest request) => [.. Inserted.Where(s => s.Uri == request.Uri).TakeLast(request.Count ?? int.MaxValue)];

        [JsonRpcMethod(HostMethods.Subscribe)]
        public async Task SubscribeAsync(string[] uris, CancellationToken cancellationToken)
        {
            if (uris is ["hang"])
            {
                Hanging.TrySetResult();
                try
                {
                    await Task.Delay(System.Threading.Timeout.InfiniteTimeSpan, cancellationToken);
                }
                catch (OperationCanceledException)
                {
                    HangCancelled.TrySetResult();
                    throw;
                }
            }
            Subscribed.AddRange(uris);
        }

        [JsonRpcMethod(HostMethods.Log)]
        public void Log(LogEntry entry) => Logs.Add($"{entry.Level} {entry.Package} {entry.Message}");
    }
}
