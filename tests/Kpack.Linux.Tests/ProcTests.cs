using Kpack.Linux.Proc;
using Kpack.Linux.Publishing;
using Kpack.Linux.Reports;

namespace Kpack.Linux.Tests;

public class ProcTests
{
    private const string Vm = "debian12-vm";

    private static ResourceReport RecordedReport() => ProcReportBuilder.Build(
        Fixtures.Counters(Vm, "t0"),
        Fixtures.Counters(Vm, "t1"),
        seconds: 2,
        Fixtures.Proc(Vm, "t1/meminfo"),
        Fixtures.Proc(Vm, "t1/loadavg"),
        [new FilesystemUsage("/dev/vda", 4096, 66_060_288, 62_603_000, 20_632_000, 16_777_216, 16_359_106)],
        isWholeDisk: name => !name.StartsWith("vda", StringComparison.Ordinal) || name == "vda",
        speedMbps: _ => null,
        header: "Linux 6.18.44-fc-v657 (vm)");

    [Fact]
    public void RecordedSnapshotsGiveSarsCpuFigures()
    {
        var r = RecordedReport();
        var cpu = r[SarTableKind.Cpu]!;

        // /proc/stat cpu deltas over the 2 s: user 122, system 29, idle 244 of 395 ticks.
        Assert.Equal(2, r.CpuCount);
        Assert.Equal(30.89m, cpu.Rows[0].Get(cpu, "%user"));
        Assert.Equal(7.34m, cpu.Rows[0].Get(cpu, "%system"));
        Assert.Equal(61.77m, cpu.Rows[0].Get(cpu, "%idle"));
        Assert.Equal(0m, cpu.Rows[0].Get(cpu, "%steal"));
    }

    [Fact]
    public void RecordedSnapshotsGiveMemoryAndLoad()
    {
        var r = RecordedReport();
        var mem = ProcReportBuilder.Meminfo(Fixtures.Proc(Vm, "t1/meminfo"));
        var used = mem["MemTotal"] - mem["MemFree"] - mem["Buffers"] - mem["Cached"] - mem["SReclaimable"];

        Assert.Equal(used, r[SarTableKind.Memory]!.Single("kbmemused"));
        Assert.Equal(decimal.Round(used * 100m / mem["MemTotal"], 2, MidpointRounding.AwayFromZero), r[SarTableKind.Memory]!.Single("%memused"));
        Assert.Equal(mem["MemAvailable"], r[SarTableKind.Memory]!.Single("kbavail"));
        var load = Fixtures.Proc(Vm, "t1/loadavg").Split(' ');
        Assert.Equal(decimal.Parse(load[0], System.Globalization.CultureInfo.InvariantCulture), r[SarTableKind.Load]!.Single("ldavg-1"));
        Assert.Equal(decimal.Parse(load[3].Split('/')[1], System.Globalization.CultureInfo.InvariantCulture), r[SarTableKind.Load]!.Single("plist-sz"));
    }

    [Fact]
    public void IdleDevicesAndPartitionsAreLeftOutAsSarDoes()
    {
        var dev = RecordedReport()[SarTableKind.Devices]!;

        Assert.Equal(["vda"], dev.Rows.Select(x => x.Key)); // loop0-7 and zram0 never did I/O
    }

    [Fact]
    public void ProcAndSarPublishTheSameUris()
    {
        // The recorded sar run and the recorded /proc snapshots are of the same machine.
        var fromProc = ReportPublisher.Build(RecordedReport());
        var fromSar = ReportPublisher.Build(Fixtures.ParseSar("sysstat-12.6.1-debian12-C.txt"));

        Assert.Equal(fromSar.Datapoints.Select(d => d.Key).Order(), fromProc.Datapoints.Select(d => d.Key).Order());
        Assert.Equal(fromSar.Anomalies.Select(d => d.Key).Order(), fromProc.Anomalies.Select(d => d.Key).Order());
        Assert.Equal(fromSar.Datasources.Select(d => d.Uri), fromProc.Datasources.Select(d => d.Uri));
    }

    [Fact]
    public void RatesFollowSysstatsFormulas()
    {
        // Hand-made snapshots 2 s apart with round numbers.
        const string Stat0 = "cpu  100 0 100 800 0 0 0 0 0 0\ncpu0 100 0 100 800 0 0 0 0 0 0\nprocs_running 3\nprocs_blocked 1\n";
        const string Stat1 = "cpu  190 0 105 900 5 0 0 0 0 0\ncpu0 190 0 105 900 5 0 0 0 0 0\nprocs_running 3\nprocs_blocked 2\n";
        const string Vm0 = "pgpgin 1000\npgpgout 0\npswpin 0\npswpout 0\npgfault 0\npgmajfault 0\npgfree 0\npgscan_kswapd 100\npgscan_direct 0\npgsteal_kswapd 50\npgsteal_direct 0\n";
        const string Vm1 = "pgpgin 3000\npgpgout 400\npswpin 10\npswpout 0\npgfault 600\npgmajfault 250\npgfree 0\npgscan_kswapd 300\npgscan_direct 100\npgsteal_kswapd 250\npgsteal_direct 0\n";
        // sda: 100 reads of 800 sectors, 300 ms reading, io_ticks +1800 of 2000 ms, queue time +2000.
        const string Disk0 = "   8       0 sda 1000 0 8000 500 0 0 0 0 0 1000 1000 0 0 0 0\n   8       1 sda1 1000 0 8000 500 0 0 0 0 0 1000 1000 0 0 0 0\n";
        const string Disk1 = "   8       0 sda 1100 0 8800 800 0 0 0 0 0 2800 3000 0 0 0 0\n   8       1 sda1 1100 0 8800 800 0 0 0 0 0 2800 3000 0 0 0 0\n";
        const string Net0 = "Inter-|\n face |\n  eth0: 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0\n";
        const string Net1 = "Inter-|\n face |\n  eth0: 200000000 2000 4 0 0 0 0 2 50000000 1000 0 6 0 0 0 0\n";

        var r = ProcReportBuilder.Build(
            ProcCounters.Parse(Stat0, Vm0, Disk0, Net0),
            ProcCounters.Parse(Stat1, Vm1, Disk1, Net1),
            seconds: 2,
            meminfo: "MemTotal: 1000 kB\nMemFree: 100 kB\nMemAvailable: 300 kB\nBuffers: 50 kB\nCached: 100 kB\nSReclaimable: 50 kB\nSwapTotal: 1000 kB\nCommitted_AS: 500 kB\n",
            loadavg: "1.50 1.00 0.50 4/120 999\n",
            filesystems: [new FilesystemUsage("/dev/sda1", 1024 * 1024, 1000, 150, 100, 1000, 250)],
            isWholeDisk: name => name == "sda",
            speedMbps: name => name == "eth0" ? 1000 : null,
            header: null);

        var cpu = r[SarTableKind.Cpu]!;
        Assert.Equal(45m, cpu.Rows[0].Get(cpu, "%user"));             // 90 of 200 ticks
        Assert.Equal(2.5m, cpu.Rows[0].Get(cpu, "%system"));
        Assert.Equal(2.5m, cpu.Rows[0].Get(cpu, "%iowait"));
        Assert.Equal(50m, cpu.Rows[0].Get(cpu, "%idle"));
        var paging = r[SarTableKind.Paging]!;
        Assert.Equal(1000m, paging.Single("pgpgin/s"));
        Assert.Equal(125m, paging.Single("majflt/s"));
        Assert.Equal(100m, paging.Single("pgscank/s"));
        Assert.Equal(50m, paging.Single("pgscand/s"));
        Assert.Equal(66.67m, paging.Single("%vmeff"));                // 200 stolen of 300 scanned
        Assert.Equal(5m, r[SarTableKind.Swapping]!.Single("pswpin/s"));
        var mem = r[SarTableKind.Memory]!;
        Assert.Equal(700m, mem.Single("kbmemused"));                  // 1000 - 100 - 50 - 100 - 50
        Assert.Equal(70m, mem.Single("%memused"));
        Assert.Equal(25m, mem.Single("%commit"));                     // 500 of 1000 + 1000
        var load = r[SarTableKind.Load]!;
        Assert.Equal(4m, load.Single("runq-sz"));
        Assert.Equal(2m, load.Single("blocked"));
        var dev = r[SarTableKind.Devices]!;
        var sda = Assert.Single(dev.Rows);
        Assert.Equal("sda", sda.Key);
        Assert.Equal(50m, sda.Get(dev, "tps"));
        Assert.Equal(200m, sda.Get(dev, "rkB/s"));
        Assert.Equal(4m, sda.Get(dev, "areq-sz"));
        Assert.Equal(3m, sda.Get(dev, "await"));
        Assert.Equal(1m, sda.Get(dev, "aqu-sz"));
        Assert.Equal(90m, sda.Get(dev, "%util"));
        var fs = r[SarTableKind.Filesystems]!;
        Assert.Equal(150m, fs.Rows[0].Get(fs, "MBfsfree"));
        Assert.Equal(85m, fs.Rows[0].Get(fs, "%fsused"));
        Assert.Equal(90m, fs.Rows[0].Get(fs, "%ufsused"));
        Assert.Equal(75m, fs.Rows[0].Get(fs, "%Iused"));
        var net = r[SarTableKind.InterfaceTraffic]!;
        Assert.Equal(1000m, net.Rows[0].Get(net, "rxpck/s"));
        Assert.Equal(97656.25m, net.Rows[0].Get(net, "rxkB/s"));      // 100,000,000 B/s
        Assert.Equal(80m, net.Rows[0].Get(net, "%ifutil"));            // 800 Mb/s of 1000
        Assert.Equal(1m, net.Rows[0].Get(net, "rxmcst/s"));
        var err = r[SarTableKind.InterfaceErrors]!;
        Assert.Equal(2m, err.Rows[0].Get(err, "rxerr/s"));
        Assert.Equal(3m, err.Rows[0].Get(err, "txdrop/s"));

        var p = ReportPublisher.Build(r);
        Assert.Equal(1m, p.Anomaly("cpu"));                            // runq 4 and load 1.5 on one CPU
        Assert.Equal(1m, p.Anomaly("memory"));                            // 125 major faults/s
        Assert.Equal(1m, p.Anomaly("storage.sda.util"));
        Assert.Equal(1m, p.Anomaly("storage.dev_sda1.fsused"));
        Assert.Equal(0m, p.Anomaly("network.eth0.ifutil"));            // exactly 80
    }

    [Fact]
    public void TheRenderedTextLooksLikeSars()
    {
        var text = RecordedReport()[SarTableKind.Filesystems]!.Text;

        var lines = text.TrimEnd('\n').Split('\n');
        Assert.Equal(["MBfsfree", "MBfsused", "%fsused", "%ufsused", "Ifree", "Iused", "%Iused", "FILESYSTEM"], lines[0].Split(' ', StringSplitOptions.RemoveEmptyEntries));
        Assert.EndsWith("/dev/vda", lines[1], StringComparison.Ordinal);
    }

    [Fact]
    public void TheRenderedTablesKeepSarsLayoutToTheCharacter()
    {
        // Key first and right-aligned (DEV, IFACE), key last as it is (FILESYSTEM), none (-q); every column at
        // least 9 wide, one space between, no trailing blanks. Pinned from the renderer before it stopped allocating
        // per line: the datasources' texts must not change under the users' saved identifications.
        var r = RecordedReport();

        Assert.Equal(
            "DEV       tps     rkB/s     wkB/s     dkB/s   areq-sz    aqu-sz     await     %util\n"
            + "vda    101.50     32.00  18976.00     32.00    187.59      0.05      0.53      1.40\n",
            r[SarTableKind.Devices]!.Text);
        Assert.Equal(
            " MBfsfree  MBfsused   %fsused  %ufsused     Ifree     Iused    %Iused FILESYSTEM\n"
            + "   244542     13505      5.23     68.77  16359106    418110      2.49 /dev/vda\n",
            r[SarTableKind.Filesystems]!.Text);
        Assert.Equal(
            "  runq-sz  plist-sz   ldavg-1   ldavg-5  ldavg-15   blocked\n"
            + "        2        82      4.44      4.09      2.61         0\n",
            r[SarTableKind.Load]!.Text);
        Assert.Equal(
            "IFACE   rxpck/s   txpck/s    rxkB/s    txkB/s   rxcmp/s   txcmp/s  rxmcst/s   %ifutil\n"
            + "   lo      0.00      0.00      0.00      0.00      0.00      0.00      0.00      0.00\n"
            + " ifb0      0.00      0.00      0.00      0.00      0.00      0.00      0.00      0.00\n",
            string.Concat(r[SarTableKind.InterfaceTraffic]!.Text.Split('\n')[..3].Select(l => l + "\n")));
    }

    [Fact]
    public void MountsOfDevicesAreTheFilesystems()
    {
        Assert.Equal([("/dev/vda", "/")], Mounts.Devices(Fixtures.Proc(Vm, "mounts")));
        Assert.Equal([("/dev/sdb1", "/mnt/my disk")], Mounts.Devices("/dev/sdb1 /mnt/my\\040disk ext4 rw 0 0\n/dev/sdb1 /again ext4 rw 0 0\ntmpfs /tmp tmpfs rw 0 0\n"));
    }

    [Fact]
    public async Task ThisMachinesProcGivesAReport()
    {
        var r = await new ProcSource("/", TimeSpan.FromMilliseconds(300)).CollectAsync("test", CancellationToken.None);

        Assert.Equal("proc", r.Source);
        Assert.Equal(Environment.ProcessorCount > 0, r.CpuCount > 0);
        var cpu = r[SarTableKind.Cpu]!;
        var total = cpu.Columns.Sum(c => cpu.Rows[0].Get(cpu, c) ?? 0);
        Assert.InRange(total, 99m, 101m);
        Assert.NotNull(r[SarTableKind.Memory]!.Single("%memused"));
        Assert.NotNull(r[SarTableKind.Load]);
        Assert.NotEmpty(r[SarTableKind.InterfaceTraffic]!.Rows);
        Assert.StartsWith("Linux ", r.Header, StringComparison.Ordinal);
        Assert.Contains(r[SarTableKind.Filesystems]!.Rows, f => f.Key.StartsWith('/'));
    }
}
