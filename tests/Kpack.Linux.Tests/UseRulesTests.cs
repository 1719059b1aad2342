using System.Globalization;
using Kpack.Linux.Publishing;

namespace Kpack.Linux.Tests;

public class UseRulesTests
{
    private static decimal? D(string? s) => s is null ? null : decimal.Parse(s, CultureInfo.InvariantCulture);

    [Theory]
    // use alone (no load figures): 90 % is normal, anything above is not
    [InlineData("89.99", null, null, null, false)]
    [InlineData("90", null, null, null, false)]
    [InlineData("90.01", null, null, null, true)]
    [InlineData("100", null, null, null, true)]
    // saturation: run queue AND 1-minute load both above one per CPU
    [InlineData("10", "4", "4", "4", false)]
    [InlineData("10", "4.01", "4", "4", false)]
    [InlineData("10", "4", "4.01", "4", false)]
    [InlineData("10", "5", "4.01", "4", true)]
    [InlineData(null, "5", "4.01", "4", true)]
    [InlineData(null, "4", "4", "4", false)]
    [InlineData(null, "3", "9", "2", true)]
    // use above 90 wins whatever the load says
    [InlineData("95", "0", "0", "4", true)]
    // neither judgeable: nothing is written
    [InlineData(null, null, null, null, null)]
    [InlineData(null, "5", null, "4", null)]
    [InlineData(null, "5", "5", "0", null)]
    public void Cpu(string? use, string? runq, string? ldavg1, string? cpus, bool? expected)
    {
        Assert.Equal(expected, UseRules.Cpu(D(use), D(runq), D(ldavg1), D(cpus)));
    }

    [Theory]
    [InlineData("84.99", "0", false)]
    [InlineData("85", "0", false)]
    [InlineData("85.01", "0", true)]
    [InlineData("10", "100", false)]
    [InlineData("10", "100.01", true)]
    [InlineData("85.01", "100.01", true)]
    [InlineData(null, "100.5", true)]
    [InlineData("86", null, true)]
    [InlineData(null, "99", false)]
    [InlineData(null, null, null)]
    public void Memory(string? memused, string? majflt, bool? expected)
    {
        Assert.Equal(expected, UseRules.Memory(D(memused), D(majflt)));
    }

    [Theory]
    [InlineData("0", false)]
    [InlineData("79.99", false)]
    [InlineData("80", false)]
    [InlineData("80.01", true)]
    [InlineData("100", true)]
    public void DiskFilesystemAndInterfaceShareTheEightyPercentThreshold(string value, bool expected)
    {
        var v = D(value)!.Value;
        Assert.Equal(expected, UseRules.Disk(v));
        Assert.Equal(expected, UseRules.Filesystem(v));
        Assert.Equal(expected, UseRules.Interface(v));
    }
}
