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

    [Fact]
    public void AColumnsLevelDependsOnItsOwnSectionEvenOnceNamedBefore()
    {
        // The levels are made once and kept: %Iused is pIused beside Iused and Iused alone, in any order, any number of times.
        for (var i = 0; i < 2; i++)
        {
            Assert.Equal("pIused", UriNames.Column("%Iused", ["Iused", "%Iused"]));
            Assert.Equal("Iused", UriNames.Column("%Iused", ["Ifree", "%Iused"]));
            Assert.Equal("pkbps", UriNames.Column("%kbps/s", ["kbps/s", "%kbps/s"]));
            Assert.Equal("kbps", UriNames.Column("%kbps/s", ["%kbps/s"]));
        }
    }
}
