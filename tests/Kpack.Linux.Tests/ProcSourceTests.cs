using System.Text;
using Kpack.Linux.Proc;
using Kpack.Linux.Reports;

namespace Kpack.Linux.Tests;

/// <summary>
/// <see cref="ProcSource"/> over a root this test writes (the recorded debian12-vm snapshot): what it keeps
/// between collections (the mounted devices, whole disks, speed files' paths) follows the files as they change.
/// </summary>
public sealed class ProcSourceTests : IDisposable
{
    private const string Vm = "debian12-vm";
    private readonly string _root = Directory.CreateTempSubdirectory("kpack-procsource-").FullName;

    public ProcSourceTests()
    {
        foreach (var (file, at) in new[] { ("stat", "proc/stat"), ("vmstat", "proc/vmstat"), ("diskstats", "proc/diskstats"), ("net_dev", "proc/net/dev"), ("meminfo", "proc/meminfo"), ("loadavg", "proc/loadavg") })
        {
            Write(at, Fixtures.Proc(Vm, $"t1/{file}"));
        }
        Write("proc/mounts", Fixtures.Proc(Vm, "mounts"));
        Write("proc/sys/kernel/osrelease", "6.1.0-test\n");
        Directory.CreateDirectory(Path.Combine(_root, "sys/block/vda"));
        Write("sys/class/net/eth0/speed", "1000\n");
        // A speed the kernel refuses to give (EINVAL for lo, a virtual device) reads as an error, not a number.
        Directory.CreateDirectory(Path.Combine(_root, "sys/class/net/lo/speed"));
    }

    public void Dispose() => Directory.Delete(_root, recursive: true);

    [Fact]
    public async Task ACollectionSeesTheMountsAndDevicesOfItsOwnTime()
    {
        var source = new ProcSource(_root, TimeSpan.Zero);

        var first = await source.CollectAsync("test", CancellationToken.None);
        Assert.Equal(["/dev/vda"], first[SarTableKind.Filesystems]!.Rows.Select(r => r.Key));
        Assert.Equal(["vda"], first[SarTableKind.Devices]!.Rows.Select(r => r.Key)); // a partition or an idle loop device is not a whole disk with I/O
        Assert.StartsWith("Linux 6.1.0-test (test)", first.Header, StringComparison.Ordinal);

        // A filesystem mounted since: the kept device list is made again.
        Write("proc/mounts", Fixtures.Proc(Vm, "mounts") + "/dev/vdb /tmp ext4 rw,relatime 0 0\n");
        var second = await source.CollectAsync("test", CancellationToken.None);
        Assert.Equal(["/dev/vda", "/dev/vdb"], second[SarTableKind.Filesystems]!.Rows.Select(r => r.Key));
        Assert.Equal(["lo", "ifb0", "ifb1", "eth0"], second[SarTableKind.InterfaceTraffic]!.Rows.Select(r => r.Key));
    }

    [Fact]
    public async Task MoreInterfacesThanItKeepsAreAllReportedCollectionAfterCollection()
    {
        // 600 interfaces (a host that starts containers), more than the 256 names whose answers are kept.
        var netDev = new StringBuilder(Fixtures.Proc(Vm, "t1/net_dev"));
        for (var i = 0; i < 600; i++)
        {
            netDev.Append(System.Globalization.CultureInfo.InvariantCulture, $"  veth{i}: 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0\n");
            Write($"sys/class/net/veth{i}/speed", "10000\n");
        }
        Write("proc/net/dev", netDev.ToString());
        var source = new ProcSource(_root, TimeSpan.Zero);

        for (var run = 0; run < 3; run++)
        {
            var report = await source.CollectAsync("test", CancellationToken.None);
            Assert.Equal(604, report[SarTableKind.InterfaceTraffic]!.Rows.Count);
            Assert.Equal(604, report[SarTableKind.InterfaceErrors]!.Rows.Count);
        }
    }

    private void Write(string relative, string text)
    {
        var path = Path.Combine(_root, relative);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, text);
    }
}
