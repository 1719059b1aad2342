using Komlogd.Identification.Corpus;
using Komlogd.Identification;

namespace Komlogd.Identification.Tests;

public class NumberFinderTests
{
    static decimal[] Values(string text) => NumberFinder.Find(text).Select(n => n.Value).ToArray();

    static string[] Written(string text) => NumberFinder.Find(text).Select(n => text.Substring(n.Position, n.Length)).ToArray();

    [Theory]
    [InlineData("12", 12)]
    [InlineData("-12", -12)]
    [InlineData("+3.25", 3.25)]
    [InlineData("0.5", 0.5)]
    [InlineData(".5", 0.5)]
    [InlineData("1,234", 1234)]
    [InlineData("1,234,567.89", 1234567.89)]
    [InlineData("12.5%", 12.5)]
    [InlineData("-7%", -7)]
    [InlineData("1.5e-3", 0.0015)]
    public void FindsOneNumberWithItsValue(string text, decimal value)
    {
        var n = Assert.Single(NumberFinder.Find(text));
        Assert.Equal(value, n.Value);
        Assert.Equal(0, n.Position);
    }

    [Fact]
    public void PositionAndLengthCoverTheNumberAsWrittenAndNotItsUnit()
    {
        var text = "Use% 12.5% of -1,024 kB in 4005ms";
        Assert.Equal(["12.5", "-1,024", "4005"], Written(text));
        Assert.Equal(["%", "", "ms"], NumberFinder.Find(text).Select(n => n.Unit));
    }

    [Fact]
    public void PositionsAreUtf16IndicesOfTheDotNetString()
    {
        // An emoji is two UTF-16 code units: the number after it is at index 3, not 2.
        var text = "😀 42";
        Assert.Equal(3, Assert.Single(NumberFinder.Find(text)).Position);
    }

    [Theory]
    [InlineData("sda1 eth0 x86_64 _x86_64_ md0p1 nvme0n1 vda1 ifb0")]
    [InlineData("/dev/sda1 /dev/md0p1 /run/user/1000x")]
    [InlineData("[kworker/1:2-events_freezable] cpu/0 rx/1a")]
    [InlineData("version 1.2.3 v2.0 6.18.44-fc-v1045 kernel-6.1")]
    [InlineData("10.0.0.1 192.168.100.200 fe80::1 00:1a:2b:3c:4d:5e")]
    [InlineData("2024-01-15 15.01.2024 12/01/26 2024-01-15T12:30:01Z")]
    [InlineData("at 12:30:01 took 4:05 TIME+ 0:00.07")]
    [InlineData("Jan 15 and 3 March and December 24")]
    [InlineData("SigIgn: 0000000001001006 0x1F 3rd 2nd deadbeef")]
    [InlineData("Cpus_allowed_list: 0-1 range 10-20")]
    public void FindsNoNumberInIdentifiersVersionsAddressesDatesAndTimes(string text)
    {
        Assert.Empty(NumberFinder.Find(text));
    }

    [Fact]
    public void UptimeCountsDaysAndUsersButNotTheClockOrTheDuration()
    {
        var text = " 09:12:03 up 3 days,  4:05,  2 users,  load average: 0.52, 0.58, 0.59";
        Assert.Equal([3m, 2m, 0.52m, 0.58m, 0.59m], Values(text));
    }

    [Fact]
    public void ValuesOfKeyValueAssignmentsCsvAndJson()
    {
        Assert.Equal([16314104m], Values("MemTotal:       16314104 kB"));
        Assert.Equal([1234567m], Values("used_memory:1234567\r\n"));
        Assert.Equal([12m, 3.5m], Values("a=12 b=3.5"));
        Assert.Equal([1m, 2m, 3.5m], Values("x,y,z\n1,2,3.5"));
        Assert.Equal([12m, 200m, 300m], Values("time,used,free\n12,200,300"));
        Assert.Equal([1234567m], Values("1,234,567"));
        Assert.Equal([123m, 0.5m, 1m, 2m, -3m], Values("{\"used\": 123, \"ratio\":0.5, \"list\":[1,2,-3]}"));
    }

    [Fact]
    public void SlashGroupsAreSeveralNumbersUnlessTheyAreADate()
    {
        Assert.Equal([0.032m, 0.040m, 0.047m, 0.006m], Values("rtt min/avg/max/mdev = 0.032/0.040/0.047/0.006 ms"));
        Assert.Equal([4.04m, 3.09m, 1.46m, 9m, 130m, 10764m], Values("4.04 3.09 1.46 9/130 10764"));
        Assert.Empty(Values("12/01/2026"));
    }

    [Fact]
    public void CommaDecimalsAreDecidedPerTextByMajority()
    {
        var de = "Durchschn.:     all      1,50      0,00     96,76\nTotal 1.234 items";
        Assert.Equal([1.50m, 0m, 96.76m, 1234m], Values(de));
        var en = "all 1.50 0.00 96.76\nlist 1,234 and 12,5";
        Assert.Equal([1.50m, 0m, 96.76m, 1234m, 12m, 5m], Values(en));
    }

    [Fact]
    public void ACommaTextKeepsItsDotDecimalsAndItsDottedDate()
    {
        var text = "Linux 6.18.44-fc-v1045 (vm) \t01.12.2026 \t_x86_64_\t(2 CPU)\n22:47:36     22982488  1,77  2,50  1.234.567  0.5";
        Assert.Equal([2m, 22982488m, 1.77m, 2.5m, 1234567m, 0.5m], Values(text));
    }

    [Fact]
    public void ATieOrNoEvidenceMeansDotDecimals()
    {
        Assert.Equal([1234m], Values("1,234"));
        Assert.Equal([12.5m, 12m, 5m], Values("12.5 12,5"));
    }

    [Fact]
    public void UnitsFollowTheNumberDirectlyOrTheWordIsNotANumber()
    {
        Assert.Equal([50.5m, 23m, 1.3m, 0m, 2.20m, 100m], Values("50.5g 23Gi 1.3Gi 0B 2.20GHz 100M"));
        Assert.Empty(Values("3rd 10x 5apples 2nd 4ever"));
    }

    [Fact]
    public void TrailingPunctuationEndsANumber()
    {
        Assert.Equal([3m, 0.0m, 12m], Values("Tasks: 3 total; used. 0.0 used. took 12."));
    }

    [Fact]
    public void EmptyAndBlankTextsHaveNoNumbers()
    {
        Assert.Empty(NumberFinder.Find(""));
        Assert.Empty(NumberFinder.Find(" \n\r\n\t "));
    }

    [Fact]
    public void ANumberTooLargeForADecimalIsNotFound()
    {
        Assert.Equal([1m], Values("1 99999999999999999999999999999999999"));
    }

    [Fact]
    public void A128KiBTextOf20000NumbersIsFoundWhole()
    {
        var text = BoundTexts.Plain();
        Assert.True(text.Length <= 128 * 1024);
        var found = NumberFinder.Find(text);
        Assert.Equal(20_000, found.Count);
        Assert.Equal(Enumerable.Range(0, 20_000).Select(i => (decimal)i), found.Select(n => n.Value));
    }

    [Fact]
    public void PathologicalTextsAreScannedWithoutBlowingUp()
    {
        // Long runs that would make a backtracking pattern explode: one long word of digits and separators.
        var digits = string.Concat(Enumerable.Repeat("1,2.3:4/5-", 12_000));
        Assert.Empty(NumberFinder.Find(digits));
        var groups = string.Concat(Enumerable.Repeat("1,234", 20_000));
        Assert.NotNull(NumberFinder.Find(groups));
    }
}
