using Komlogd.Identification.Corpus;
using Komlogd.Identification;

namespace Komlogd.Identification.Tests;

public class AutomaticTests
{
    const string Df = """
        Filesystem     1K-blocks    Used Available Use% Mounted on
        /dev/sda1       10000000 4000000   6000000  40% /
        tmpfs             100000       0    100000   0% /dev/shm
        tmpfs              50000      10     49990   1% /run
        """;

    const string MemInfo = "MemTotal:       24683548 kB\nActive(anon):       5260 kB\nHugePages_Total:       0\n";

    static Dictionary<string, decimal?> Found(IReadOnlyList<Extraction> e) => e.Where(x => x.Automatic).ToDictionary(x => x.Name, x => x.Value);

    [Fact]
    public void TableCellsAreNamedRowDotColumn()
    {
        var e = Found(new DatasourceModel().Extract(Df, Supplies.All));
        Assert.Equal(4000000m, e["dev_sda1.Used"]);
        Assert.Equal(40m, e["dev_sda1.Use_pct"]);
        Assert.Equal(10000000m, e["dev_sda1.1K-blocks"]);
        // tmpfs repeats, so its rows are told apart by the words after their numbers.
        Assert.Equal(100000m, e["tmpfs_dev_shm.Available"]);
        Assert.Equal(10m, e["tmpfs_run.Used"]);
        Assert.Equal(12, e.Count);
    }

    [Fact]
    public void KeyValueLinesAreNamedByTheirKey()
    {
        var e = Found(new DatasourceModel().Extract(MemInfo, Supplies.All));
        Assert.Equal(new Dictionary<string, decimal?> { ["MemTotal"] = 24683548m, ["Active_anon"] = 5260m, ["HugePages_Total"] = 0m }, e);
    }

    [Fact]
    public void EmptySuppliesCreateNothingAndAListOnlyThoseNames()
    {
        var none = new DatasourceModel();
        Assert.Empty(none.Extract(Df, Supplies.None));
        Assert.Empty(none.State.Automatic.Names);
        var only = new DatasourceModel();
        var e = Found(only.Extract(Df, Supplies.Only(["dev_sda1.Used", "tmpfs_run.Used", "not_there"])));
        Assert.Equal(["dev_sda1.Used", "tmpfs_run.Used"], e.Keys.Order(StringComparer.Ordinal));
        Assert.Same(Supplies.None, Supplies.From([]));
        Assert.Same(Supplies.All, Supplies.From(null));
    }

    [Fact]
    public void CreationStopsAtTheCap()
    {
        var model = new DatasourceModel(automaticCap: 5);
        model.Extract(Df, Supplies.All);
        model.Extract(MemInfo, Supplies.All);
        Assert.Equal(5, model.State.Automatic.Names.Count);
        Assert.Equal(DatasourceModel.DefaultAutomaticCap, new DatasourceModel().AutomaticCap);
    }

    [Fact]
    public void RowsLabelledByANumberOrATimeNameNothing()
    {
        const string ps = "  PID  %CPU  RSS\n  123   1.0  400\n  456   2.0  500\n";
        Assert.DoesNotContain(Found(new DatasourceModel().Extract(ps, Supplies.All)).Keys, k => k.Contains('.', StringComparison.Ordinal));
        const string sar = "22:47:09  CPU  %user  %idle\n22:47:10  all   1.00  99.00\n22:47:11  all   2.00  98.00\nAverage:  all   1.50  98.50\n";
        var e = Found(new DatasourceModel().Extract(sar, Supplies.All));
        Assert.Equal(["Average_all.pct_idle", "Average_all.pct_user"], e.Keys.Order(StringComparer.Ordinal));
    }

    [Theory]
    [InlineData("ps")]
    [InlineData("top")]
    public void ProcessTablesNameNothing(string name)
    {
        // ps aux's rows start with a user that repeats and end with a state and a command line; top's start
        // with a PID. Neither has a label that stays a label: no automatic datapoint, not even in sample 1.
        var c = CorpusCase.Load(CorpusCase.FindDirectory(), "tuning").Single(x => x.Name == name);
        var model = new DatasourceModel();
        foreach (var text in c.Samples)
        {
            model.Extract(text, Supplies.All);
        }
        Assert.DoesNotContain(model.State.Automatic.Names, n => n.Table.Contains("PID"));
    }

    [Fact]
    public void ATableWhoseRowsAreReplacedCreatesNothingMore()
    {
        const string a = "COMMAND  %CPU\nalpha     1.0\nbeta      2.0\ngamma     3.0\n";
        const string b = "COMMAND  %CPU\ndelta     1.0\nepsilon   2.0\nalpha     3.0\n";
        const string c = "COMMAND  %CPU\nzeta      1.0\nalpha     4.0\n";
        var model = new DatasourceModel();
        model.Extract(a, Supplies.All);
        model.Extract(b, Supplies.All);
        var e = Found(model.Extract(c, Supplies.All));
        Assert.True(model.State.Automatic.Tables.Single().Volatile);
        Assert.Equal(["alpha.pct_CPU", "beta.pct_CPU", "gamma.pct_CPU"], model.State.Automatic.Names.Select(n => n.Name).Order(StringComparer.Ordinal));
        Assert.Equal(4.0m, e["alpha.pct_CPU"]);
    }

    [Fact]
    public void RowsOnlyAddedOrRemovedKeepCreating()
    {
        const string a = "Device  r/s\nvda     1.0\n";
        const string b = "Device  r/s\nloop0   0.0\nloop1   0.0\nvda     2.0\n";
        const string c = "Device  r/s\nvda     3.0\nsdb     4.0\n";
        var model = new DatasourceModel();
        model.Extract(a, Supplies.All);
        model.Extract(b, Supplies.All);
        var e = Found(model.Extract(c, Supplies.All));
        Assert.False(model.State.Automatic.Tables.Single().Volatile);
        Assert.Equal(4.0m, e["sdb.r_s"]);
        Assert.Null(e["loop0.r_s"]);
    }

    [Fact]
    public void LabelsThatSanitizeAlikeGetAStableTag()
    {
        const string text = "NAME  size\na/b   1\na_b   2\n";
        var e = Found(new DatasourceModel().Extract(text, Supplies.All));
        Assert.Equal(1m, e["a_b.size"]);
        // The tag goes on the last level and is a hash of the raw row and column: the same whatever the order of the rows.
        var tagged = Assert.Single(e.Keys, k => k.StartsWith("a_b.size-", StringComparison.Ordinal));
        Assert.Matches("^a_b\\.size-[0-9a-f]{4}$", tagged);
        Assert.Equal(2m, e[tagged]);
    }

    [Fact]
    public void AUsersNameTakesOverTheAutomaticNameItEquals()
    {
        var model = new DatasourceModel();
        model.Extract(MemInfo, Supplies.All);
        model.Name(MemInfo, 1, "MemTotal");
        var e = model.Extract(MemInfo, Supplies.All);
        Assert.Single(e, x => x.Name == "MemTotal");
        Assert.False(e.Single(x => x.Name == "MemTotal").Automatic);
        Assert.Contains("MemTotal", model.State.Automatic.Forgotten);
    }

    [Fact]
    public void AForgottenAutomaticNameIsNeverCreatedAgain()
    {
        var model = new DatasourceModel();
        model.Extract(MemInfo, Supplies.All);
        Assert.True(model.Forget("MemTotal"));
        Assert.DoesNotContain("MemTotal", Found(model.Extract(MemInfo, Supplies.All)).Keys);
    }

    [Fact]
    public void CheckLearnsNothing()
    {
        var model = new DatasourceModel();
        Assert.Empty(model.Check(Df, Supplies.All));
        Assert.Empty(model.State.Automatic.Names);
        Assert.Empty(model.State.Automatic.Tables);
    }

    [Theory]
    [InlineData("/dev/sda1", "dev_sda1")]
    [InlineData("Use%", "Use_pct")]
    [InlineData("%util", "pct_util")]
    [InlineData("rkB/s", "rkB_s")]
    [InlineData("Active(anon)", "Active_anon")]
    [InlineData("Average all", "Average_all")]
    [InlineData("1K-blocks", "1K-blocks")]
    [InlineData("/", "root")]
    [InlineData("bytes#2", "bytes_2")]
    public void LabelsBecomeOneUriLevel(string raw, string level)
    {
        Assert.Equal(level, UriLevel.Of(raw));
        Assert.True(UriLevel.IsValid(level));
    }

    [Fact]
    public void PunctuationOnlyLabelsHaveNoLevel() => Assert.Null(UriLevel.Of("---"));
}
