using Kpack.Linux.Publishing;

namespace Kpack.Linux.Tests;

public class UriNamesTests
{
    [Theory]
    [InlineData("vda", "vda")]
    [InlineData("dev8-0", "dev8-0")]
    [InlineData("nvme0n1", "nvme0n1")]
    [InlineData("/dev/vda", "dev_vda")]
    [InlineData("/dev/mapper/vg-root", "dev_mapper_vg-root")]
    [InlineData("cciss/c0d0", "cciss_c0d0")]
    [InlineData("eth0.100", "eth0_100")]
    [InlineData("my host", "my_host")]
    [InlineData("/", "root")]
    [InlineData("__x__", "x")]
    [InlineData("é", "root")]
    public void DeviceNamesBecomeOneUriSafeLevel(string name, string level)
    {
        Assert.Equal(level, UriNames.Level(name));
        Assert.True(Komlogd.Sdk.Uris.IsLocal(level));
    }

    [Theory]
    [InlineData("%user", "user")]
    [InlineData("majflt/s", "majflt")]
    [InlineData("rd_sec/s", "rd_sec")]
    [InlineData("%util", "util")]
    [InlineData("areq-sz", "areq-sz")]
    [InlineData("%Iused", "pIused")]
    [InlineData("Iused", "Iused")]
    [InlineData("%fsused", "fsused")]
    [InlineData("%vmeff", "vmeff")]
    public void ColumnsLoseTheirUnitsAsInTheOriginal(string column, string level)
    {
        string[] filesystemAndOthers = ["MBfsfree", "MBfsused", "%fsused", "%ufsused", "Ifree", "Iused", "%Iused", "%user", "majflt/s", "rd_sec/s", "%util", "areq-sz", "%vmeff"];

        Assert.Equal(level, UriNames.Column(column, filesystemAndOthers));
    }
}
