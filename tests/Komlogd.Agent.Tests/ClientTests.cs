using System.Net.Sockets;
using Komlogd.Client;
using Komlogd.Protocol;
using Komlogd.Sdk;
using StreamJsonRpc;

namespace Komlogd.Agent.Tests;

/// <summary>An agent of user alice with no packages, for programs that talk to it with Komlogd.Client.</summary>
public sealed class ClientAgentFixture : IAsyncLifetime
{
    public AgentHome Home { get; } = new("client");

    public async Task InitializeAsync()
    {
        Home.Configure();
        Home.Start();
        await Eventually.WaitAsync(() => File.Exists(Path.Combine(Home.Cli.ConfigDir, "komlogd.sock")), "the agent's socket");
    }

    public async Task DisposeAsync() => await Home.DisposeAsync();
}

public sealed class ClientTests(ClientAgentFixture fixture) : IClassFixture<ClientAgentFixture>
{
    private static readonly DateTimeOffset T = new(2026, 5, 1, 12, 0, 0, 123, TimeSpan.Zero);

    private Task<KomlogdSession> ConnectAsync() => KomlogdSession.ConnectAsync(fixture.Home.Cli.ConfigDir);

    [Fact]
    public async Task AProgramSendsSamplesAndReadsThemBackThroughTheAgent()
    {
        await using var session = await ConnectAsync();
        var text = new Datasource("cl.text");
        var number = new Datapoint("cl.n");

        await session.SendSamplesAsync([new Sample(text, T, "hello"), new Sample(number, T, 1.5m), new Sample(number, T.AddSeconds(1), 2m)]);

        Assert.Equal([new Sample(text, T, "hello")], await session.GetAsync(text));
        Assert.Equal([2m, 1.5m], (await session.GetAsync(number)).Select(s => s.Value));
        Assert.Equal([1.5m], (await session.GetAsync(number, end: T, count: 5)).Select(s => s.Value));
        // The CLI reads what the client wrote: one store.
        Assert.Contains("\thello", (await fixture.Home.Cli.RunAsync("data", "get", "cl.text")).Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TheUsersGlobalUriIsTheLocalMetricForWritesAndReads()
    {
        await using var session = await ConnectAsync();

        await session.SendSamplesAsync([new Sample(new Datapoint("alice:cl.g"), T, 7m)]);
        await session.SendSamplesAsync([new Sample(new Datapoint("bob:cl.g"), T, 8m)]);

        Assert.Equal(7m, Assert.Single(await session.GetAsync(new Datapoint("cl.g"))).Value);
        Assert.Equal(8m, Assert.Single(await session.GetAsync(new Datapoint("bob:cl.g"))).Value);
        var ls = await fixture.Home.Cli.RunAsync("data", "ls", "cl.g");
        Assert.StartsWith("cl.g\tdatapoint\t1\t", ls.Stdout, StringComparison.Ordinal);
        Assert.Contains("7", (await fixture.Home.Cli.RunAsync("data", "get", "alice:cl.g")).Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ASampleTheAgentRefusesIsOneLineWithItsCodeAndNothingIsStored()
    {
        await using var session = await ConnectAsync();
        await session.SendSamplesAsync([new Sample(new Datasource("cl.kind"), T, "text")]);

        var e = await Assert.ThrowsAsync<KomlogdClientException>(() => session.SendSamplesAsync(
            [new Sample(new Datapoint("cl.kind-other"), T, 1m), new Sample(new Datapoint("cl.kind"), T, 1m)]));

        Assert.Equal("uri 'cl.kind' holds datasources; a datapoint cannot be stored there", e.Message);
        Assert.Equal(ErrorCodes.Refused, e.ErrorCode);
        Assert.Empty(await session.GetAsync(new Datapoint("cl.kind-other")));
    }

    [Fact]
    public async Task WithNoAgentListeningConnectingSaysSoInOneMessage()
    {
        using var empty = new TempDir("no-agent");
        // A socket file a killed agent left behind: nobody listens on it either.
        using var dead = new TempDir("dead-agent");
        using (var listener = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified))
        {
            listener.Bind(new UnixDomainSocketEndPoint(dead["komlogd.sock"]));
        }

        var none = await Assert.ThrowsAsync<AgentNotRunningException>(() => KomlogdSession.ConnectAsync(empty.Path));
        var stale = await Assert.ThrowsAsync<AgentNotRunningException>(() => KomlogdSession.ConnectAsync(dead.Path));

        Assert.Equal($"no komlogd agent is listening on {empty["komlogd.sock"]}: start it with 'komlogd' (its config dir holds the socket)", none.Message);
        Assert.Equal(dead["komlogd.sock"], stale.SocketPath);
    }

    public static TheoryData<GetRequest, string> BadReads => new()
    {
        { new GetRequest("a..b", null, null, null, null), "uri 'a..b' must be levels of [A-Za-z0-9-_] joined by single dots" },
        { new GetRequest("a.b", "number", null, null, null), "type 'number' must be datasource or datapoint (or null for either)" },
        { new GetRequest("a.b", null, null, null, 0), "count must be at least 1 (or null for no limit); got 0" },
        { new GetRequest("a.b", null, 2000, 1000, null), "start 1970-01-01T00:00:02.000Z is after end 1970-01-01T00:00:01.000Z" },
    };

    /// <summary>The socket's get refuses what a client library would not send, naming the value and the rule.</summary>
    [Theory]
    [MemberData(nameof(BadReads))]
    public async Task TheSocketsGetRefusesABadRequestNamingTheRule(GetRequest request, string rule)
    {
        using var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        await socket.ConnectAsync(new UnixDomainSocketEndPoint(Path.Combine(fixture.Home.Cli.ConfigDir, "komlogd.sock")));
        using var rpc = new JsonRpc(new HeaderDelimitedMessageHandler(new NetworkStream(socket), new SystemTextJsonFormatter()));
        rpc.StartListening();

        var e = await Assert.ThrowsAsync<RemoteInvocationException>(() => rpc.InvokeAsync<WireSample[]>(Komlogd.Protocol.Control.ControlMethods.Get, request));

        Assert.StartsWith(rule, e.Message, StringComparison.Ordinal);
        Assert.Equal(ErrorCodes.Refused, e.ErrorCode);
    }

    /// <summary>
    /// The agent's keys exist (the fixture copied them), so its start must not create an RSA object: that alone
    /// maps OpenSSL and System.Security.Cryptography, 2.9 MiB of a running agent's PSS (docs/benchmarks.md).
    /// </summary>
    [Fact]
    public async Task AnAgentStartedWithItsKeysInPlaceLoadsNoCryptography()
    {
        // The agent answers: it is past its start.
        await using (var session = await ConnectAsync())
        {
            await session.GetAsync(new Datapoint("cl.nothing"));
        }

        var maps = await File.ReadAllLinesAsync($"/proc/{fixture.Home.Agent!.Pid}/maps");
        Assert.Contains(maps, l => l.EndsWith("/System.Private.CoreLib.dll", StringComparison.Ordinal));
        var crypto = maps.Select(l => l.Split(' ', StringSplitOptions.RemoveEmptyEntries)[^1]).Distinct()
            .Where(f => f.Contains("libcrypto", StringComparison.Ordinal) || f.EndsWith("/System.Security.Cryptography.dll", StringComparison.Ordinal)).ToList();
        Assert.True(crypto.Count == 0, $"mapped: {string.Join(", ", crypto)}");
    }
}
