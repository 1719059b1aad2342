using Komlogd.Core.Store;
using Komlogd.Core.Supervision;

namespace Komlogd.Supervision.Tests;

/// <summary>Samples across real children: inserts reach the store, updates reach subscribers in other venvs.</summary>
[Collection(VenvCollection.Name)]
public sealed class DataFlowTests(VenvFixture venvs) : IAsyncDisposable
{
    private readonly MemoryLog _log = new();
    private readonly TempDir _dir = new("dataflow");
    private readonly List<IAsyncDisposable> _cleanup = [];
    private SampleStore? _store;
    private SampleHub? _hub;

    private SampleHub Hub => _hub ??= new SampleHub(_store = SampleStore.Open(_dir["data/komlogd.db"]));

    private async Task<VenvSupervisor> RunAsync(string venv, string package)
    {
        var entry = await venvs.SingleAsync(package);
        var launcher = new PluginHostLauncher(_log.Logger, Hub, Repo.HostDll);
        var s = new VenvSupervisor(venv, entry, launcher, new SupervisionOptions(), TimeProvider.System, _log.Logger);
        _cleanup.Add(s);
        await s.StartAsync();
        await Eventually.WaitAsync(() => s.Status.State == VenvState.Running, $"{venv} Running (last error {s.Status.LastError})", TimeSpan.FromSeconds(90));
        return s;
    }

    [Fact]
    public async Task AnUpdateInOneVenvRunsATransferMethodInAnother()
    {
        await RunAsync("reactor", "TestPkg.Reactor");
        await Eventually.WaitAsync(() => Hub.SubscriberCount == 1, "the reactor to subscribe");

        await RunAsync("writer", "TestPkg.Writer");

        await Eventually.WaitAsync(() => Hub.Get("b.y").Count >= 3, "b.y samples");
        var ys = Hub.Get("b.y");
        foreach (var y in ys)
        {
            var x = Assert.Single(Hub.Get("a.x", y.T, y.T));
            Assert.Equal(2 * decimal.Parse(x.Value, System.Globalization.CultureInfo.InvariantCulture), decimal.Parse(y.Value, System.Globalization.CultureInfo.InvariantCulture));
        }
    }

    [Fact]
    public async Task ASampleFromAnyWriterReachesTheSubscriber()
    {
        await RunAsync("reactor", "TestPkg.Reactor");
        await Eventually.WaitAsync(() => Hub.SubscriberCount == 1, "the reactor to subscribe");
        var t = DateTimeOffset.FromUnixTimeMilliseconds(1_700_000_000_123);

        Hub.Insert([new NewSample("c.text", SampleType.Datasource, SampleTime.ToMs(t), "hello")]);

        await Eventually.WaitAsync(() => Hub.Get("c.seen").Count == 1, "c.seen");
        var seen = Assert.Single(Hub.Get("c.seen"));
        Assert.Equal(("HELLO", t), (seen.Value, seen.T));
    }

    [Fact]
    public async Task ATransferMethodThatThrowsCommitsNothingAndIsLogged()
    {
        await RunAsync("reactor", "TestPkg.Reactor");
        await Eventually.WaitAsync(() => Hub.SubscriberCount == 1, "the reactor to subscribe");

        Hub.Insert([new NewSample("d.boom", SampleType.Datapoint, 1000, "1")]);

        await _log.WaitForAsync("[reactor] TestPkg.Reactor: transfer method TestPkg.Reactor.Load.Boom failed: InvalidOperationException: boom in a transfer method; its 1 samples were not committed");
        Hub.Insert([new NewSample("c.text", SampleType.Datasource, 2000, "after")]);
        await Eventually.WaitAsync(() => Hub.Get("c.seen").Count == 1, "the reactor to go on after a failed run");
        Assert.Empty(Hub.Get("d.partial"));
    }

    [Fact]
    public async Task AMillionSamplesInsertedInALoopAllArriveNoneTwice()
    {
        await RunAsync("flood", "TestPkg.Flood");

        await _log.WaitForAsync("flood: inserted 1000000", TimeSpan.FromMinutes(3));
        await Eventually.WaitAsync(() => Hub.Inserted >= 1_000_000, $"a million rows (now {Hub.Inserted})", TimeSpan.FromMinutes(3));
        await Task.Delay(500); // anything more would be a sample sent twice

        Assert.Equal(1_000_000, Hub.Inserted);
        var summary = Assert.Single(Hub.List("flood.n"));
        Assert.Equal(1_000_000, summary.Count);
        Assert.Equal("999999", Hub.Get("flood.n", count: 1)[0].Value);
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var d in _cleanup)
        {
            await d.DisposeAsync();
        }
        _store?.Dispose();
        _dir.Dispose();
    }
}
