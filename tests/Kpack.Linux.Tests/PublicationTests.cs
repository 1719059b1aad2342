using Komlogd.Sdk;
using Komlogd.Sdk.Hosting;
using Kpack.Linux.Publishing;
using Kpack.Linux.Reports;

namespace Kpack.Linux.Tests;

public class PublicationTests
{
    private const string Root = "pkg.kpack_linux.vm.system.resources";
    private static readonly DateTimeOffset T = new(2026, 11, 25, 13, 16, 0, TimeSpan.Zero);

    [Fact]
    public void Sysstat12PublishesTheOriginalsNames()
    {
        var p = ReportPublisher.Build(Fixtures.ParseSar("sysstat-12.6.1-debian12-C.txt"));

        Assert.Equal(["cpu", "memory", "storage", "network"], p.Datasources.Select(d => d.Uri));
        Assert.Equal(70.71m, p.Datapoint("cpu.all.user"));
        Assert.Equal(5.81m, p.Datapoint("cpu.all.system"));
        Assert.Equal(2m, p.Datapoint("cpu.cpu_count"));
        Assert.Equal(2m, p.Datapoint("cpu.tasks.runnable"));
        Assert.Equal(186m, p.Datapoint("cpu.tasks.total"));
        Assert.Equal(0m, p.Datapoint("cpu.tasks.blocked"));
        Assert.Equal(3.73m, p.Datapoint("cpu.ldavg.1min"));
        Assert.Equal(2.40m, p.Datapoint("cpu.ldavg.15min"));
        Assert.Equal(1.01m, p.Datapoint("memory.memused"));
        Assert.Equal(4.06m, p.Datapoint("memory.commit"));
        Assert.Equal(2.50m, p.Datapoint("memory.majflt"));
        Assert.Equal(0m, p.Datapoint("memory.pswpin"));
        Assert.Equal(1.40m, p.Datapoint("storage.vda.util"));
        Assert.Equal(334.00m, p.Datapoint("storage.vda.dkB"));
        Assert.Equal(5.23m, p.Datapoint("storage.dev_vda.fsused"));
        Assert.Equal(418110m, p.Datapoint("storage.dev_vda.Iused"));
        Assert.Equal(2.49m, p.Datapoint("storage.dev_vda.pIused"));
        Assert.Equal(3.82m, p.Datapoint("network.lo.rxkB"));
        Assert.Equal(0m, p.Datapoint("network.eth0.ifutil"));
        Assert.Equal(0m, p.Datapoint("network.eth0.rxerr"));
        Assert.All(p.Datapoints, d => Assert.True(Uris.IsLocal($"{Root}.{d.Key}"), d.Key));
    }

    [Fact]
    public void ANormalMachineWritesZeroToEveryAnomaly()
    {
        var p = ReportPublisher.Build(Fixtures.ParseSar("sysstat-12.6.1-debian12-C.txt"));

        Assert.Equal(
            ["cpu", "memory", "storage.vda.util", "storage.dev_vda.fsused", "network.lo.ifutil", "network.ifb0.ifutil", "network.ifb1.ifutil", "network.eth0.ifutil"],
            p.Anomalies.Select(a => a.Key));
        Assert.All(p.Anomalies, a => Assert.Equal(0m, a.Value));
    }

    [Fact]
    public void ABusyCentos7BoxRaisesTheAnomaliesAboveTheThresholds()
    {
        var p = ReportPublisher.Build(Fixtures.ParseSar("sysstat-10.1.5-centos7-ampm.txt"));

        Assert.Equal(1m, p.Anomaly("cpu"));                              // 88.1 + 1.2 + 2.3 + 0 = 91.6 % > 90
        Assert.Equal(1m, p.Anomaly("memory"));                              // 97.53 % > 85
        Assert.Equal(1m, p.Anomaly("storage.dev8-0.util"));              // 89.9 > 80
        Assert.Equal(0m, p.Anomaly("storage.dev8-16.util"));
        Assert.Equal(0m, p.Anomaly("storage.dev253-0.util"));            // exactly 80: normal
        Assert.Equal(1m, p.Anomaly("storage.dev_mapper_centos-root.fsused"));
        Assert.Equal(0m, p.Anomaly("storage.dev_sda1.fsused"));
        Assert.DoesNotContain(p.Anomalies, a => a.Key.StartsWith("network.", StringComparison.Ordinal)); // no %ifutil in sysstat 10
        Assert.Equal(40960.00m, p.Datapoint("storage.dev8-0.rd_sec"));
        Assert.Equal(138.74m, p.Datapoint("storage.dev8-0.avgrq-sz"));
        Assert.Equal(2.90m, p.Datapoint("storage.dev8-0.svctm"));
        Assert.Null(p.Datapoint("memory.kbavail"));
    }

    [Fact]
    public void SaturationAloneRaisesTheCpuAnomaly()
    {
        // 12 runnable and load 10.5 on 8 CPUs with use at 91.6 % anyway; use a copy with low use.
        var text = Fixtures.Sar("sysstat-10.1.5-centos7-ampm.txt").Replace("88.10      1.20      2.30", " 8.10      1.20      2.30", StringComparison.Ordinal);

        var p = ReportPublisher.Build(SarParser.Parse(text));

        Assert.Equal(8.10m, p.Datapoint("cpu.all.user"));
        Assert.Equal(1m, p.Anomaly("cpu"));
    }

    [Fact]
    public void AMachineWithoutFilesystemsOrErrorsPublishesWhatItHas()
    {
        var p = ReportPublisher.Build(Fixtures.ParseSar("sysstat-11.6.1-ubuntu1804-no-F-no-EDEV.txt"));

        Assert.Equal(1m, p.Anomaly("network.wlp2s0_10.ifutil"));
        Assert.Equal(0m, p.Anomaly("network.enp3s0.ifutil"));
        Assert.Equal(0m, p.Anomaly("storage.nvme0n1.util"));
        Assert.DoesNotContain(p.Datapoints, d => d.Key.EndsWith(".fsused", StringComparison.Ordinal) || d.Key.EndsWith(".rxerr", StringComparison.Ordinal));
        Assert.Equal(6900100m, p.Datapoint("memory.kbavail"));
        Assert.Equal(4m, p.Datapoint("storage.md127.areq-sz"));
    }

    [Fact]
    public void ValuesAtTheThresholdsAreNormal()
    {
        var p = ReportPublisher.Build(Fixtures.ParseSar("sysstat-12.5.2-de_DE.txt"));

        Assert.Equal(85.00m, p.Datapoint("memory.memused"));
        Assert.Equal(0m, p.Anomaly("memory"));
        Assert.Equal(0m, p.Anomaly("storage.dev_sda2.fsused"));           // 80,00 %
        Assert.Equal(1m, p.Anomaly("cpu"));                               // runq 3/2 and ldavg 2.5/2 above 1
    }

    [Fact]
    public void DatasourceTextsAreTheSarBlocks()
    {
        var p = ReportPublisher.Build(Fixtures.ParseSar("sysstat-12.6.1-debian12-C.txt"));
        string Text(string uri) => p.Datasources.Single(d => d.Uri == uri).Text;

        Assert.StartsWith("Linux 6.18.44-fc-v657 (vm)", Text("cpu"), StringComparison.Ordinal);
        Assert.Contains("CPU     %user", Text("cpu"), StringComparison.Ordinal);
        Assert.Contains("runq-sz  plist-sz", Text("cpu"), StringComparison.Ordinal);
        Assert.Contains("kbmemfree", Text("memory"), StringComparison.Ordinal);
        Assert.Contains("pswpin/s", Text("memory"), StringComparison.Ordinal);
        Assert.Contains("majflt/s", Text("memory"), StringComparison.Ordinal);
        Assert.Contains("FILESYSTEM", Text("storage"), StringComparison.Ordinal);
        Assert.Contains("rxerr/s", Text("network"), StringComparison.Ordinal);
        Assert.All(p.Datasources, d => Assert.DoesNotContain("Average", d.Text, StringComparison.Ordinal));
        Assert.Contains("all.user", p.Datasources[0].Supplies);
        Assert.Contains("vda.util", p.Datasources.Single(d => d.Uri == "storage").Supplies);
    }

    [Fact]
    public void InsertWritesEveryUriUnderTheRootAtT()
    {
        var runtime = new MemoryRuntime();
        using var _ = KomlogdRuntime.Use(runtime);
        var p = ReportPublisher.Build(Fixtures.ParseSar("sysstat-10.1.5-centos7-ampm.txt"));

        var skipped = ReportPublisher.Insert(Root, p, T);

        Assert.Empty(skipped);
        Assert.All(runtime.Samples, s => Assert.Equal(T, s.T));
        Assert.Equal(p.Datasources.Count + p.Datapoints.Count + p.Anomalies.Count, runtime.Samples.Count);
        Assert.IsType<Datasource>(runtime.Samples.First(s => s.Metric.Uri == $"{Root}.cpu").Metric);
        Assert.Equal(1m, runtime.Value($"{Root}.cpu._anomaly"));
        Assert.Equal(1m, runtime.Value($"{Root}.storage.dev8-0.util._anomaly"));
        Assert.Equal(91.85m, runtime.Value($"{Root}.storage.dev_mapper_centos-root.fsused"));
        Assert.Equal(9000.50m, runtime.Value($"{Root}.network.eth0.rxpck"));
    }

    [Fact]
    public void AUriTooLongIsSkippedAndReported()
    {
        var runtime = new MemoryRuntime();
        using var _ = KomlogdRuntime.Use(runtime);
        var longName = new string('d', 240);
        var text = Fixtures.Sar("sysstat-12.6.1-debian12-C.txt").Replace(" vda ", $" {longName} ", StringComparison.Ordinal)
            .Replace("          vda ", $"{longName} ", StringComparison.Ordinal);
        var p = ReportPublisher.Build(SarParser.Parse(text));

        var skipped = ReportPublisher.Insert(Root, p, T);

        Assert.Contains($"{Root}.storage.{longName}.util", skipped);
        Assert.NotNull(runtime.Value($"{Root}.cpu.all.user"));
    }

    [Fact]
    public void AHugeTextIsCutAtALineUnderTheLimit()
    {
        var text = string.Concat(Enumerable.Repeat("eth0      0.00      0.00      0.00      0.00\n", 5000));

        var cut = ReportPublisher.Truncate(text);

        Assert.True(System.Text.Encoding.UTF8.GetByteCount(cut) <= Limits.MaxDatasourceBytes);
        Assert.EndsWith("\n...(truncated)\n", cut, StringComparison.Ordinal);
        Assert.Equal("short\n", ReportPublisher.Truncate("short\n"));
    }
}
