using Komlogd.Core.Store;
using Komlogd.Core.Supervision;

namespace Komlogd.Supervision.Tests;

/// <summary>
/// Transfer methods as the original ran them, across a real host child and the agent's hub (user alice): a
/// method on its own writes, identical samples, a method run once on load, global uris, and the ported
/// kpack_linux Storage binding.
/// </summary>
[Collection(VenvCollection.Name)]
public sealed class TransferSemanticsTests(VenvFixture venvs) : IAsyncDisposable
{
    private readonly MemoryLog _log = new();
    private readonly TempDir _dir = new("semantics");
    private readonly List<IAsyncDisposable> _cleanup = [];
    private SampleStore? _store;
    private SampleHub? _hub;

    private SampleHub Hub => _hub ??= new SampleHub(_store = SampleStore.Open(_dir["data/komlogd.db"], "alice"));

    private async Task<VenvSupervisor> RunAsync(string package)
    {
        var entry = await venvs.SingleAsync(package);
        var s = new VenvSupervisor(package, entry, new PluginHostLauncher(_log.Logger, Hub, Repo.HostDll), new SupervisionOptions(), TimeProvider.System, _log.Logger);
        _cleanup.Add(s);
        await s.StartAsync();
        await Eventually.WaitAsync(() => s.Status.State == VenvState.Running, $"{package} Running (last error {s.Status.LastError})", TimeSpan.FromMinutes(3));
        return s;
    }

    /// <summary>Waits until the child runs nothing and has no update on its way, and returns its runs.</summary>
    private static async Task<ChildRuns> IdleAsync(VenvSupervisor venv)
    {
        ChildRuns? runs = null;
        await Eventually.WaitAsync(() => (runs = venv.RunsAsync(TimeSpan.FromSeconds(10)).GetAwaiter().GetResult()) is { Idle: true }, "the child to be idle");
        return runs!;
    }

    private void Write(string uri, long t, string value) => Hub.Insert([new NewSample(uri, SampleType.Datapoint, t, value)]);

    private List<string> Values(string uri) => Hub.Get(uri).Select(s => $"{SampleTime.ToMs(s.T)}={s.Value}").ToList();

    [Fact]
    public async Task AMethodWritingItsOwnActivationUriRunsOncePerOutsideWriteAndNotOnIdenticalOnes()
    {
        var venv = await RunAsync("TestPkg.Semantics");
        var before = await IdleAsync(venv); // Once ran on load

        Write("loop.in", 1000, "1");
        await Eventually.WaitAsync(() => Hub.Get("loop.runs").Count == 1, "the run's commit");
        var afterOne = await IdleAsync(venv);
        Write("loop.in", 1000, "1"); // identical: nothing runs
        Write("loop.in", 2000, "10");
        await Eventually.WaitAsync(() => Hub.Get("loop.runs").Count == 2, "the second run's commit");
        var afterTwo = await IdleAsync(venv);

        Assert.Equal(["2000=2", "1000=1"], Values("loop.runs"));
        Assert.Equal(["2001=11", "2000=10", "1001=2", "1000=1"], Values("loop.in"));
        // Another method runs on Loop's writes as on the outside ones.
        Assert.Equal(Values("loop.in"), Values("loop.followed"));
        // Loop and Follow per outside write, Follow again per Loop write: nothing for the identical sample.
        Assert.Equal((before.Total + 3, before.Total + 6, 0L), (afterOne.Total, afterTwo.Total, afterTwo.Failed));
        Assert.Single(Hub.Get("once.ran"));
    }

    [Fact]
    public async Task AMethodOnTheUsersGlobalUriRunsOnTheLocalUriAndHearsItAsItAsked()
    {
        await RunAsync("TestPkg.Semantics");

        Write("glob.in", 1000, "1");

        await Eventually.WaitAsync(() => Hub.Get("glob.seen").Count == 1, "glob.seen");
        Assert.Equal("alice:glob.in", Hub.Get("alice:glob.seen").Single().Value);
    }

    [Fact]
    public async Task ThePortedStorageBindingRunsEachDevicesCheckOnItsUtil()
    {
        var report = _dir["storage.txt"];
        await File.WriteAllTextAsync(report, """
            DEV       tps     rkB/s     wkB/s   areq-sz    aqu-sz     await     %util
            sda      1.00      0.00      4.00      4.00      0.00      0.50      2.00
            dm.0     0.50      0.00      2.00      4.00      0.00      0.20      1.00

            """);
        Environment.SetEnvironmentVariable("KPACK_STORAGE_REPORT", report);
        var venv = await RunAsync("TestPkg.Storage");
        await IdleAsync(venv);
        const string Root = "host.system.resources.storage";
        Assert.Single(Hub.Get(Root));

        Write($"{Root}.sda.util", 60_000, "95");
        Write($"{Root}.dm_0.util", 60_000, "5");
        await Eventually.WaitAsync(() => Hub.Get($"{Root}.sda.util._anomaly").Count == 1, "sda's anomaly");
        Write($"{Root}.sda.util", 120_000, "10");
        await Eventually.WaitAsync(() => Hub.Get($"{Root}.sda.util._anomaly").Count == 2, "sda's anomaly cancelled");
        await IdleAsync(venv);

        Assert.Equal(["120000=0", "60000=1"], Values($"{Root}.sda.util._anomaly"));
        Assert.Empty(Hub.Get($"{Root}.dm_0.util._anomaly"));
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
