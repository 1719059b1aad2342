using Komlogd.Sdk;
using Komlogd.Sdk.Hosting;
using Kpack.Linux.Collection;
using Kpack.Linux.Reports;

namespace Kpack.Linux.Tests;

public class LoadTests
{
    private static readonly DateTimeOffset T = new(2026, 11, 25, 13, 16, 0, TimeSpan.Zero);

    [Theory]
    [InlineData("*", "* * * * *")]
    [InlineData("*/5", "*/5 * * * *")]
    public async Task LoadingBindsTheCollectionToTheSettingsMinuteAndRunsItAtLoad(string minute, string expression)
    {
        var attribute = typeof(Load).Assembly.GetCustomAttributes(typeof(KomlogdPackageAttribute), false);
        var load = new Load();
        var settings = new KpackSettings("pkg.kpack_linux", SourceMode.Proc, [new HostSettings("here", null)], KpackSettings.DefaultTimeout, null, minute);

        await load.StartAsync(new TestContext(new ListLog()), settings);
        using var handle = load.Collection;

        Assert.Single(attribute);
        Assert.Empty(TransferMethodDiscovery.Find(typeof(Load).Assembly, load));
        Assert.NotNull(handle);
        Assert.True(handle.IsBound);
        var cron = Assert.IsType<CronSchedule>(handle.Info.Schedule);
        Assert.Equal(expression, cron.ToCronExpression());
        Assert.True(cron.ExecOnLoad);
        Assert.Empty(handle.Info.ActivationUris);
    }

    [Fact]
    public async Task ARunInsertsEveryHostAtTheRunsTimeAndSkipsAFailingOne()
    {
        var runtime = new MemoryRuntime();
        using var _ = KomlogdRuntime.Use(runtime);
        var log = new ListLog();
        var load = new Load();
        using var handle = TransferMethods.Bind(load.CollectAsync, new CronSchedule());
        var info = handle.Info;
        load.UseCollectors(
        [
            new HostCollector("db01", "pkg.kpack_linux.db01.system.resources", log, _ => Task.FromResult<ResourceReport?>(Fixtures.ParseSar("sysstat-10.1.5-centos7-ampm.txt"))),
            new HostCollector("broken", "pkg.kpack_linux.broken.system.resources", log, _ => throw new IOException("ssh: connect to host broken port 22: Connection refused")),
            new HostCollector("vm", "pkg.kpack_linux.vm.system.resources", log, _ => Task.FromResult<ResourceReport?>(Fixtures.ParseSar("sysstat-12.6.1-debian12-C.txt"))),
            new HostCollector("down", "pkg.kpack_linux.down.system.resources", log, _ => Task.FromResult<ResourceReport?>(null)),
        ], log);

        await TransferMethodInvoker.InvokeAsync(info, T, [], [], CancellationToken.None);

        Assert.All(runtime.Samples, s => Assert.Equal(T, s.T));
        Assert.Equal(1m, runtime.Value("pkg.kpack_linux.db01.system.resources.cpu._anomaly"));
        Assert.Equal(0m, runtime.Value("pkg.kpack_linux.vm.system.resources.cpu._anomaly"));
        Assert.Equal(70.71m, runtime.Value("pkg.kpack_linux.vm.system.resources.cpu.all.user"));
        Assert.IsType<string>(runtime.Value("pkg.kpack_linux.vm.system.resources.network"));
        Assert.DoesNotContain(runtime.Samples, s => s.Metric.Uri.Contains(".broken.", StringComparison.Ordinal) || s.Metric.Uri.Contains(".down.", StringComparison.Ordinal));
        Assert.Contains(log.Lines, l => l.StartsWith("ERROR host broken: collection failed", StringComparison.Ordinal));
    }

    [Fact]
    public async Task LoadedWithDefaultsItPublishesThisMachine()
    {
        // What the agent does, minus the agent: load, then the ExecOnLoad run, inserts into a runtime.
        var runtime = new MemoryRuntime();
        using var _ = KomlogdRuntime.Use(runtime);
        var log = new ListLog();
        var load = new Load();
        await load.LoadAsync(new TestContext(log), CancellationToken.None);
        using var handle = load.Collection!;
        var info = handle.Info;

        await TransferMethodInvoker.InvokeAsync(info, T, [], [], CancellationToken.None);

        var root = $"pkg.kpack_linux.{Publishing.UriNames.Host(Environment.GetEnvironmentVariable(KpackSettings.HostnameVariable) is { Length: > 0 } h ? h : Environment.MachineName)}.system.resources";
        Assert.IsType<string>(runtime.Value($"{root}.cpu"));
        Assert.IsType<string>(runtime.Value($"{root}.memory"));
        Assert.IsType<decimal>(runtime.Value($"{root}.cpu.all.user"));
        Assert.IsType<decimal>(runtime.Value($"{root}.memory.memused"));
        Assert.Contains(runtime.Value($"{root}.cpu._anomaly"), new object[] { 0m, 1m });
        Assert.Contains(runtime.Value($"{root}.memory._anomaly"), new object[] { 0m, 1m });
        Assert.Contains(log.Lines, l => l.StartsWith("INFO Kpack.Linux", StringComparison.Ordinal));
    }

    [Fact]
    public async Task TheLocalCollectorSaysOnceWhichSourceItUses()
    {
        var log = new ListLog();
        var settings = new KpackSettings("pkg.kpack_linux", SourceMode.Auto, [new HostSettings("here", null)], TimeSpan.FromSeconds(30), null);
        var collector = HostCollector.Create(settings, settings.Hosts[0], log);

        var first = await collector.CollectAsync(CancellationToken.None);
        var second = await collector.CollectAsync(CancellationToken.None);

        // sar when sysstat is installed (CI installs it), /proc otherwise: either way a full report, said once.
        Assert.NotNull(first);
        Assert.NotNull(second);
        Assert.Equal(CommandRunner.FindInPath("sar") is null ? "proc" : "sar", first.Source);
        Assert.NotNull(first[SarTableKind.Cpu]);
        Assert.NotNull(first[SarTableKind.Memory]);
        var said = Assert.Single(log.Lines);
        Assert.Contains("host here: collecting", said, StringComparison.Ordinal);
        Assert.Equal("pkg.kpack_linux.here.system.resources", collector.Root);
    }

    [Fact]
    public async Task ARemoteHostThatCannotBeReachedIsLoggedNotThrown()
    {
        var log = new ListLog();
        // "false" stands in for an ssh that fails: it prints nothing and exits 1.
        var settings = new KpackSettings("pkg.kpack_linux", SourceMode.Auto, [new HostSettings("far", ["false"])], TimeSpan.FromSeconds(10), null);
        var collector = HostCollector.Create(settings, settings.Hosts[0], log);

        Assert.Null(await collector.CollectAsync(CancellationToken.None));
        Assert.Null(await collector.CollectAsync(CancellationToken.None));
        var said = Assert.Single(log.Lines);
        Assert.StartsWith("WARNING host far: nothing collected", said, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ARemoteHostIsCollectedWithSarAfterItsSshCommand()
    {
        var dir = Directory.CreateTempSubdirectory("kpack-ssh-").FullName;
        try
        {
            var args = Path.Combine(dir, "args");
            var fixture = Path.Combine(Fixtures.Dir, "sar", "sysstat-10.1.5-centos7-ampm.txt");
            // A stand-in for ssh: records the words it was given for the remote side and prints a sar output.
            var log = new ListLog();
            var settings = new KpackSettings("pkg.kpack_linux", SourceMode.Auto,
                [new HostSettings("db01", ["sh", "-c", $"printf '%s\\n' \"$@\" > '{args}'; cat '{fixture}'", "ssh"])], TimeSpan.FromSeconds(10), null);
            var collector = HostCollector.Create(settings, settings.Hosts[0], log);

            var report = await collector.CollectAsync(CancellationToken.None);

            Assert.NotNull(report);
            Assert.Equal(8, report.CpuCount);
            Assert.Equal(["env", "LC_ALL=C", "sar", "-BWrdFqu", "-n", "DEV,EDEV", "2", "1"], (await File.ReadAllTextAsync(args)).TrimEnd('\n').Split('\n'));
            Assert.Equal("pkg.kpack_linux.db01.system.resources", collector.Root);
            Assert.Contains("host db01: collecting with sar over 'sh -c", Assert.Single(log.Lines), StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    [Fact]
    public async Task CommandsRunWithoutAShellAndAreKilledAfterTheirTimeLimit()
    {
        var echoed = await CommandRunner.RunAsync(["echo", "a;b", "$HOME", "`id`"], null, TimeSpan.FromSeconds(10), CancellationToken.None);
        Assert.Equal("a;b $HOME `id`\n", echoed!.Stdout);
        Assert.Null(await CommandRunner.RunAsync(["/nonexistent/sar"], null, TimeSpan.FromSeconds(10), CancellationToken.None));
        var watch = System.Diagnostics.Stopwatch.StartNew();
        await Assert.ThrowsAsync<TimeoutException>(() => CommandRunner.RunAsync(["sleep", "30"], null, TimeSpan.FromMilliseconds(300), CancellationToken.None));
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(10));
    }
}
