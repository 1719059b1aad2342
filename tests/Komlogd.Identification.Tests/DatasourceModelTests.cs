using Komlogd.Identification.Corpus;
using Komlogd.Identification;

namespace Komlogd.Identification.Tests;

public class DatasourceModelTests
{
    const string Df1 = """
        Filesystem     1K-blocks    Used Available Use% Mounted on
        /dev/sda1       10000000 4000000   6000000  40% /
        tmpfs             100000       0    100000   0% /dev/shm
        /dev/sdb1        5000000 1000000   4000000  20% /data
        """;

    // Rows moved and one gone, one added, every column wider.
    const string Df2 = """
        Filesystem        1K-blocks      Used Available Use% Mounted on
        /dev/sdb1           5000000   1500000   3500000  30% /data
        /dev/sdc1         900000000 100000000 800000000  12% /backup
        /dev/sda1          10000000   4100000   5900000  41% /
        """;

    static Extraction Only(IReadOnlyList<Extraction> extractions, string name) => Assert.Single(extractions, e => e.Name == name);

    static int IndexOf(string text, string written, int occurrence = 1)
    {
        var numbers = NumberFinder.Find(text);
        var seen = 0;
        for (var i = 0; i < numbers.Count; i++)
        {
            if (text.Substring(numbers[i].Position, numbers[i].Length) == written && ++seen == occurrence)
            {
                return i + 1;
            }
        }
        throw new InvalidOperationException($"{written} not found");
    }

    [Fact]
    public void ANamedValueIsFoundAfterRowsMoveAndColumnsWiden()
    {
        var model = new DatasourceModel();
        model.Name(Df1, IndexOf(Df1, "4000000"), "root_used");
        model.Name(Df1, IndexOf(Df1, "20"), "data_pct");
        var e = model.Extract(Df2, Supplies.None);
        Assert.Equal(4100000m, Only(e, "root_used").Value);
        Assert.Equal(30m, Only(e, "data_pct").Value);
        Assert.Equal(Df2.IndexOf("4100000", StringComparison.Ordinal), Only(e, "root_used").Position);
    }

    [Fact]
    public void AValueWhoseRowIsGoneIsMissingNotAnotherRowsValue()
    {
        var model = new DatasourceModel();
        model.Name(Df1, IndexOf(Df1, "100000", 2), "shm_available");
        var e = Only(model.Extract(Df2, Supplies.None), "shm_available");
        Assert.Equal(ExtractionStatus.Missing, e.Status);
        Assert.Null(e.Value);
    }

    [Fact]
    public void TwinRowsAreAmbiguousRatherThanAGuess()
    {
        const string text = "USER PID %CPU COMMAND\nroot 10 1.0 worker\nroot 11 2.0 worker\n";
        var model = new DatasourceModel();
        var named = model.Name(text, IndexOf(text, "1.0"), "worker_cpu");
        Assert.Equal(ExtractionStatus.Ambiguous, named.Status);
        Assert.Equal(ExtractionStatus.Ambiguous, Only(model.Extract(text, Supplies.None), "worker_cpu").Status);
    }

    [Fact]
    public void NamingReturnsWhatTheNamingSampleNowGives()
    {
        var model = new DatasourceModel();
        var e = model.Name(Df1, IndexOf(Df1, "6000000"), "root_available");
        Assert.Equal(ExtractionStatus.Found, e.Status);
        Assert.Equal(6000000m, e.Value);
        Assert.Equal(["root_available"], model.Names);
    }

    [Fact]
    public void NamingByPositionIsNamingByIndex()
    {
        var byIndex = new DatasourceModel();
        byIndex.Name(Df1, IndexOf(Df1, "4000000"), "used");
        var byPosition = new DatasourceModel();
        // Any character of the number will do.
        byPosition.NameAt(Df1, Df1.IndexOf("4000000", StringComparison.Ordinal) + 3, "used");
        Assert.Equal(byIndex.ToJson(), byPosition.ToJson());
    }

    [Fact]
    public void ValuesAreFoundByTheWordTheyAreAttachedTo()
    {
        const string a = " 22:46:44 up 8 min,  0 user,  load average: 6.42, 2.88, 1.25";
        const string b = " 09:12:03 up 3 days,  4:05,  2 users,  load average: 0.52, 0.58, 0.59";
        var model = new DatasourceModel();
        model.Name(a, IndexOf(a, "8"), "minutes");
        model.Name(a, IndexOf(a, "0"), "users");
        model.Name(a, IndexOf(a, "2.88"), "load5");
        var e = model.Extract(b, Supplies.None);
        Assert.Equal(ExtractionStatus.Missing, Only(e, "minutes").Status); // "3 days" is not minutes
        Assert.Equal(2m, Only(e, "users").Value);
        Assert.Equal(0.58m, Only(e, "load5").Value);
    }

    [Fact]
    public void MarkingTheOnlyExampleWrongLeavesTheNameMissing()
    {
        const string a = "load 1 2 3";
        const string b = "load 7 8 9";
        var model = new DatasourceModel();
        model.Name(a, 1, "first");
        Assert.Equal(7m, Only(model.Extract(b, Supplies.None), "first").Value);
        var after = model.MarkWrong(b, 1, "first");
        Assert.Equal(ExtractionStatus.Missing, after.Status);
        Assert.Empty(model.State.Names[0].Positives);
        Assert.Single(model.State.Names[0].Negatives);
    }

    [Fact]
    public void AWrongMarkOutweighsAnEqualExampleOnlyWhereItMatchesBetter()
    {
        // Named on Mem's used; marked wrong on Swap's used (which it did not pick): Mem's is still found.
        const string text = "       total  used\nMem:     100    40\nSwap:     10     5\n";
        var model = new DatasourceModel();
        model.Name(text, IndexOf(text, "40"), "mem_used");
        model.MarkWrong(text, IndexOf(text, "5"), "mem_used");
        Assert.Equal(40m, Only(model.Extract(text, Supplies.None), "mem_used").Value);
    }

    [Fact]
    public void NamingANumberMakesItACounterExampleForTheNameThatPickedIt()
    {
        const string text = "load 1 2 3";
        var model = new DatasourceModel();
        model.Name(text, 1, "a");
        model.Name(text, 1, "b");
        Assert.Equal(ExtractionStatus.Missing, Only(model.Extract(text, Supplies.None), "a").Status);
        Assert.Equal(1m, Only(model.Extract(text, Supplies.None), "b").Value);
    }

    [Fact]
    public void AForgottenNameIsNoLongerExtracted()
    {
        var model = new DatasourceModel();
        model.Name(Df1, 1, "blocks");
        Assert.True(model.Forget("blocks"));
        Assert.False(model.Forget("blocks"));
        Assert.Empty(model.Extract(Df1, Supplies.None));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(13)]
    public void AnIndexOutOfRangeIsOneClearLine(int index)
    {
        var e = Assert.Throws<IdentificationException>(() => new DatasourceModel().Name(Df1, index, "x"));
        Assert.Equal($"number {index} is out of range: the sample has numbers 1 to 12", e.Message);
    }

    [Fact]
    public void BadRequestsAreOneClearLine()
    {
        var model = new DatasourceModel();
        Assert.Equal("number 1 is out of range: the sample has no numbers", Assert.Throws<IdentificationException>(() => model.Name("none here", 1, "x")).Message);
        Assert.StartsWith("'a.b' is not a name", Assert.Throws<IdentificationException>(() => model.Name(Df1, 1, "a.b")).Message, StringComparison.Ordinal);
        Assert.Equal("no number is at position 0 of the sample", Assert.Throws<IdentificationException>(() => model.NameAt(Df1, 0, "x")).Message);
        Assert.Equal("no value is named 'nope'", Assert.Throws<IdentificationException>(() => model.MarkWrong(Df1, 1, "nope")).Message);
    }

    [Fact]
    public void TheStateRoundTripsThroughJsonAndExtractsTheSame()
    {
        var model = new DatasourceModel();
        model.Extract(Df1, Supplies.All);
        model.Name(Df1, IndexOf(Df1, "4000000"), "root_used");
        var json = model.ToJson();
        var restored = DatasourceModel.FromJson(json);
        Assert.Equal(json, restored.ToJson());
        Assert.Equal(model.Check(Df2, Supplies.All), restored.Check(Df2, Supplies.All));
        Assert.Contains("\"version\":1", json, StringComparison.Ordinal);
    }

    [Fact]
    public void AStoredStateOfAnotherVersionOrNotAStateIsRefusedInOneLine()
    {
        Assert.Equal("stored identification state has version 2; this komlogd reads version 1",
            Assert.Throws<IdentificationException>(() => DatasourceModel.FromJson("{\"version\":2}")).Message);
        Assert.StartsWith("stored identification state is not valid: ", Assert.Throws<IdentificationException>(() => DatasourceModel.FromJson("{nope")).Message, StringComparison.Ordinal);
        Assert.Equal("stored identification state is empty", Assert.Throws<IdentificationException>(() => DatasourceModel.FromJson("null")).Message);
        Assert.Equal("stored identification state is incomplete: a list in it is null",
            Assert.Throws<IdentificationException>(() => DatasourceModel.FromJson("{\"version\":1,\"names\":[{\"name\":\"x\",\"positives\":null,\"negatives\":[]}]}")).Message);
    }

    [Fact]
    public void TheSameInputsGiveTheSameState()
    {
        string Run()
        {
            var model = new DatasourceModel();
            model.Extract(Df1, Supplies.All);
            model.Name(Df1, 3, "x");
            model.Extract(Df2, Supplies.All);
            return model.ToJson();
        }
        Assert.Equal(Run(), Run());
    }

    [Fact]
    public void A128KiBTextOf20000NumbersIsExtractedWhole()
    {
        var text = BoundTexts.Plain();
        var model = new DatasourceModel();
        model.Name(text, 1, "first");
        var e = model.Extract(text, Supplies.All);
        // 2,000 lines of ten numbers and no word: every line's first number has the same context, so the
        // honest answer is Ambiguous, found by comparing all 20,000 numbers.
        Assert.Equal(ExtractionStatus.Ambiguous, Only(e, "first").Status);
        var labelled = BoundTexts.Table();
        Assert.True(labelled.Length <= 128 * 1024);
        model.Name(labelled, 20_000, "last");
        e = model.Extract(labelled, Supplies.All);
        Assert.Equal(19_999m, Only(e, "last").Value);
        Assert.Equal(DatasourceModel.DefaultAutomaticCap, e.Count(x => x.Automatic));
    }
}
