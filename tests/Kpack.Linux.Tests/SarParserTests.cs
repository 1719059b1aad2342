using System.Text.RegularExpressions;
using Kpack.Linux.Reports;

namespace Kpack.Linux.Tests;

public class SarParserTests
{
    /// <summary>
    /// The time and CPU-count checks read by hand (no regex in the package: its types would load the regex
    /// library into every host that scans it) answer as the regexes they replaced, on sar's fields and the
    /// awkward ones: other digit scripts, a field one digit short or long, an extra ":SS", a count too large.
    /// </summary>
    [Fact]
    public void TheTimeAndCpuCountChecksAnswerAsTheRegexesTheyReplaced()
    {
        var time = new Regex(@"^\d{1,2}:\d{2}(:\d{2})?$", RegexOptions.CultureInvariant);
        string[] tokens = ["1:23", "12:34", "12:34:56", "01:15:42", "9:05:07", "123:45", "1:2", "12:345", "12:34:5",
            "12:34:567", ":12", "12:", "12:34:", "12:34:56:78", "12-34", "ab:cd", "", "1", "AM", "Average:", "Moyenne",
            "\u0661\u0662:\u0663\u0664", "12\uFF1A34", "1 2:34", "12:34\n", "\u0967:\u0968\u0969:\u096A\u096B"];
        foreach (var token in tokens)
        {
            Assert.True(time.IsMatch(token) == SarParser.IsTime(token), $"'{token}': the regex says {time.IsMatch(token)}");
        }

        var cpus = new Regex(@"\((\d+) CPU\)", RegexOptions.CultureInvariant);
        string[] headers = ["Linux 6.1.0 (h) \t11/25/26 \t_x86_64_\t(4 CPU)", "Linux (x) (12 CPU) (3 CPU)", "(99999999999 CPU)",
            "(4 CPUs)", "( 4 CPU)", "(4  CPU)", "(4 CPU", "((8 CPU)", "(\u0664 CPU)", "no count", "", "(0 CPU)", "Linux (2 cpu)"];
        foreach (var header in headers)
        {
            var m = cpus.Match(header);
            int? expected = m.Success && int.TryParse(m.Groups[1].Value, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var n) ? n : null;
            Assert.True(expected == SarParser.CpuCount(header), $"'{header}': the regex gives {expected?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "none"}");
        }
    }

    [Fact]
    public void ReadsEverySectionOfSysstat12RecordedHere()
    {
        var r = Fixtures.ParseSar("sysstat-12.6.1-debian12-C.txt");

        Assert.Equal("sar", r.Source);
        Assert.StartsWith("Linux 6.18.44-fc-v657 (vm)", r.Header);
        Assert.Equal(2, r.CpuCount);
        Assert.Equal(Enum.GetValues<SarTableKind>(), r.Tables.Select(t => t.Kind));
        Assert.Equal(70.71m, r[SarTableKind.Cpu]!.Rows.Single(x => x.Key == "all").Get(r[SarTableKind.Cpu]!, "%user"));
        Assert.Equal(1.01m, r[SarTableKind.Memory]!.Single("%memused"));
        Assert.Equal(24078256m, r[SarTableKind.Memory]!.Single("kbavail"));
        Assert.Equal(2.50m, r[SarTableKind.Paging]!.Single("majflt/s"));
        Assert.Equal(3.73m, r[SarTableKind.Load]!.Single("ldavg-1"));
        var dev = r[SarTableKind.Devices]!;
        Assert.Equal(["tps", "rkB/s", "wkB/s", "dkB/s", "areq-sz", "aqu-sz", "await", "%util"], dev.Columns);
        Assert.Equal(1.40m, Assert.Single(dev.Rows).Get(dev, "%util"));
        var fs = r[SarTableKind.Filesystems]!;
        Assert.Equal("/dev/vda", Assert.Single(fs.Rows).Key);
        Assert.Equal(5.23m, fs.Rows[0].Get(fs, "%fsused"));
        Assert.Equal(["lo", "ifb0", "ifb1", "eth0"], r[SarTableKind.InterfaceTraffic]!.Rows.Select(x => x.Key));
        Assert.Equal(["lo", "ifb0", "ifb1", "eth0"], r[SarTableKind.InterfaceErrors]!.Rows.Select(x => x.Key));
    }

    [Fact]
    public void TheSectionTextIsSarsBlockWithoutTheAverageLabel()
    {
        var r = Fixtures.ParseSar("sysstat-12.6.1-debian12-C.txt");

        Assert.Equal(
            "CPU     %user     %nice   %system   %iowait    %steal     %idle\n" +
            "all     70.71      0.00      5.81      0.00      0.00     23.48\n",
            r[SarTableKind.Cpu]!.Text);
        Assert.DoesNotContain("Summary", r[SarTableKind.Filesystems]!.Text, StringComparison.Ordinal);
        Assert.EndsWith("FILESYSTEM\n", r[SarTableKind.Filesystems]!.Text.Split('\n')[0] + "\n", StringComparison.Ordinal);
    }

    [Fact]
    public void PrettyDeviceNamesInTheLastColumnAreKeys()
    {
        // sar -p puts DEV last (sysstat 12).
        var dev = Fixtures.ParseSar("sysstat-12.6.1-debian12-C-pretty.txt")[SarTableKind.Devices]!;

        Assert.Equal("DEV", dev.KeyColumn);
        Assert.Equal("vda", Assert.Single(dev.Rows).Key);
        Assert.Equal(39.50m, dev.Rows[0].Get(dev, "tps"));
        Assert.Equal(8, dev.Columns.Count);
    }

    [Fact]
    public void PerCpuRowsAreKeptBesideAll()
    {
        var cpu = Fixtures.ParseSar("sysstat-12.6.1-debian12-C-per-cpu.txt")[SarTableKind.Cpu]!;

        Assert.Equal(["all", "0", "1"], cpu.Rows.Select(x => x.Key));
    }

    [Fact]
    public void IsoDatesInTheHeaderDoNotMatter()
    {
        var r = Fixtures.ParseSar("sysstat-12.6.1-debian12-CUTF8-iso.txt");

        Assert.Contains("2026-11-25", r.Header, StringComparison.Ordinal);
        Assert.Equal(9, r.Tables.Count);
    }

    [Fact]
    public void Sysstat10WithTwelveHourTimesAndOldColumnsParses()
    {
        var r = Fixtures.ParseSar("sysstat-10.1.5-centos7-ampm.txt");

        Assert.Equal(8, r.CpuCount);
        var dev = r[SarTableKind.Devices]!;
        Assert.Equal(["tps", "rd_sec/s", "wr_sec/s", "avgrq-sz", "avgqu-sz", "await", "svctm", "%util"], dev.Columns);
        Assert.Equal(["dev8-0", "dev8-16", "dev253-0"], dev.Rows.Select(x => x.Key));
        Assert.Equal(89.90m, dev.Rows[0].Get(dev, "%util"));
        Assert.DoesNotContain("%ifutil", r[SarTableKind.InterfaceTraffic]!.Columns);
        Assert.Equal(["lo", "eth0", "eth1", "docker0"], r[SarTableKind.InterfaceTraffic]!.Rows.Select(x => x.Key));
        Assert.Equal(["/dev/mapper/centos-root", "/dev/sda1"], r[SarTableKind.Filesystems]!.Rows.Select(x => x.Key));
        Assert.DoesNotContain("kbavail", r[SarTableKind.Memory]!.Columns);
        Assert.DoesNotContain("PM", r[SarTableKind.Cpu]!.Text, StringComparison.Ordinal);
    }

    [Fact]
    public void AMachineWithoutFilesystemAndErrorSectionsHasNeither()
    {
        var r = Fixtures.ParseSar("sysstat-11.6.1-ubuntu1804-no-F-no-EDEV.txt");

        Assert.Null(r[SarTableKind.Filesystems]);
        Assert.Null(r[SarTableKind.InterfaceErrors]);
        Assert.Equal(7, r.Tables.Count);
        Assert.Equal(["nvme0n1", "sda", "md127"], r[SarTableKind.Devices]!.Rows.Select(x => x.Key));
        Assert.Equal(83.89m, r[SarTableKind.InterfaceTraffic]!.Rows.Single(x => x.Key == "wlp2s0.10").Get(r[SarTableKind.InterfaceTraffic]!, "%ifutil"));
    }

    [Fact]
    public void DecimalCommasAndTranslatedLabelsParse()
    {
        var r = Fixtures.ParseSar("sysstat-12.5.2-de_DE.txt");

        Assert.Equal(9, r.Tables.Count);
        Assert.Equal(85.00m, r[SarTableKind.Memory]!.Single("%memused"));
        Assert.Equal(40.50m, r[SarTableKind.Cpu]!.Rows[0].Get(r[SarTableKind.Cpu]!, "%user"));
        Assert.Equal("/dev/sda2", r[SarTableKind.Filesystems]!.Rows[0].Key);
        Assert.Equal(80.00m, r[SarTableKind.Filesystems]!.Rows[0].Get(r[SarTableKind.Filesystems]!, "%fsused"));
    }

    [Fact]
    public void TheSummaryBlockWinsOverTimedOnesAndTheLastTimedOneIsTheFallback()
    {
        const string Text = """
            Linux 6.1.0 (h) 	11/25/26 	_x86_64_	(4 CPU)

            10:00:00     pswpin/s pswpout/s
            10:00:01         1.00      1.00
            10:00:02         2.00      2.00

            10:00:00      runq-sz  plist-sz   ldavg-1   ldavg-5  ldavg-15   blocked
            10:00:01            1       100      0.10      0.20      0.30         0

            10:00:01      runq-sz  plist-sz   ldavg-1   ldavg-5  ldavg-15   blocked
            10:00:02            5       100      0.10      0.20      0.30         0

            Average:     pswpin/s pswpout/s
            Average:         1.50      1.50
            """;

        var r = SarParser.Parse(Text);

        Assert.Equal(1.50m, r[SarTableKind.Swapping]!.Single("pswpin/s"));
        Assert.Equal(5m, r[SarTableKind.Load]!.Single("runq-sz"));
        Assert.Equal(4, r.CpuCount);
    }

    [Theory]
    [InlineData("")]
    [InlineData("sar: command not found")]
    [InlineData("Requested activities not available in file /var/log/sa/sa25\n")]
    [InlineData("Average:\n\n13:00:00 x\n13:00:01 1 2 3\n")]
    public void TextWithoutSarSectionsGivesAnEmptyReport(string text)
    {
        var r = SarParser.Parse(text);

        Assert.Empty(r.Tables);
    }

    [Fact]
    public void AFrenchSummaryLabelWithASpaceBeforeTheColonParses()
    {
        const string Text = "Moyenne :    runq-sz  plist-sz   ldavg-1   ldavg-5  ldavg-15   blocked\nMoyenne :          2       186      3,73      4,29      2,40         0\n";

        Assert.Equal(3.73m, SarParser.Parse(Text)[SarTableKind.Load]!.Single("ldavg-1"));
    }

    [Fact]
    public void ADashIsNoNumber()
    {
        Assert.Null(SarParser.ParseNumber("-"));
        Assert.Equal(-1.5m, SarParser.ParseNumber("-1.5"));
        Assert.Equal(1.5m, SarParser.ParseNumber("1,5"));
    }
}
