using Komlogd.Core.DataPath;
using Komlogd.Core.Store;
using Komlogd.Protocol;
using Microsoft.Data.Sqlite;
using Komlogd.Protocol.Channel;
using Serilog;

namespace Komlogd.Core.Tests;

/// <summary>The agent's insert writer for one host: batches that queue behind a commit go in one transaction, and each is still answered on its own.</summary>
public sealed class AgentServerTests : IDisposable
{
    private readonly TempDir _dir = new("agent-server");

    [Fact]
    public async Task BatchesQueuedBehindACommitAreAnsweredEachOnItsOwnAndOnlyTheOneBreakingARuleIsRefused()
    {
        using var store = SampleStore.Open(_dir["k.db"]);
        store.Insert([new NewSample("h.text", SampleType.Datasource, 1, "a")]);
        var rpc = new RpcChannel(Stream.Null, Stream.Null, _ => { }, "komlogd", "the plugin host");
        var server = new AgentServer(new LoggerConfiguration().CreateLogger(), new SampleHub(store), rpc);

        Task<int> first, good, bad, last;
        // Another process holds the write lock: the writer waits in the first commit while the others queue
        // behind it, so it takes them as one group, which holds the batch that breaks a rule.
        using (var other = new SqliteConnection($"Data Source={_dir["k.db"]};Pooling=False"))
        {
            other.Open();
            using var holding = other.BeginTransaction(deferred: false);
            first = server.InsertAsync(Batch("h.a", "1"));
            good = server.InsertAsync(Batch("h.b", "2"));
            bad = server.InsertAsync(Batch("h.text", "3"));
            last = server.InsertAsync(Batch("h.c", "4"));
        }

        var answered = await Task.WhenAll(first, good, last).WaitAsync(TimeSpan.FromMinutes(1));
        Assert.Equal(new[] { 1, 1, 1 }, answered);
        var refused = await Assert.ThrowsAsync<RpcErrorException>(() => bad.WaitAsync(TimeSpan.FromMinutes(1)));
        Assert.Equal(ErrorCodes.Refused, refused.Code);
        Assert.Equal("uri 'h.text' holds datasources; a datapoint cannot be stored there", refused.Message);
        Assert.Equal(["1", "2", "4"], new[] { "h.a", "h.b", "h.c" }.SelectMany(u => store.Get(u)).Select(s => s.Value));
        Assert.Equal(["a"], store.Get("h.text").Select(s => s.Value));
    }

    private static SampleBatch Batch(string uri, string value) => new([uri], [SampleTypes.Datapoint], [0], [10], [value]);

    public void Dispose() => _dir.Dispose();
}
