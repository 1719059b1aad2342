using Komlogd.Identification;

namespace Komlogd.Identification.Tests;

public class TextLayoutTests
{
    // A number outside every column shows as "-".
    static string[] ColumnsOf(string text) => Contexts.Of(TextLayout.Of(text)).Select(c => c.Column ?? "-").ToArray();

    [Fact]
    public void ColumnsAreAlignedInEachSampleWhateverItsWidths()
    {
        const string m = "               total        used        free\nMem:           24105         735       22505\nSwap:              0           0           0\n";
        const string k = "               total        used        free\nMem:        24683548     1871092    21934156\nSwap:              0           0           0\n";
        string[] expected = ["total", "used", "free", "total", "used", "free"];
        Assert.Equal(expected, ColumnsOf(m));
        Assert.Equal(expected, ColumnsOf(k));
    }

    [Fact]
    public void ARowPushedRightByAWideValueIsAlignedByItsTokens()
    {
        const string vmstat = " r  b   swpd   free   buff  cache\n 3  0      0 23069452  15200 1207248\n";
        Assert.Equal(["r", "b", "swpd", "free", "buff", "cache"], ColumnsOf(vmstat));
    }

    [Fact]
    public void KeyValueLinesUnderASectionTitleAreNotATable()
    {
        const string redis = "# Memory\r\nused_memory:8771568\r\nused_memory_rss:15499264\r\n";
        var layout = TextLayout.Of(redis);
        Assert.Empty(layout.Tables);
        Assert.Equal([false, true, true], layout.KeyValueLines);
    }

    [Fact]
    public void AHeaderOverNothingItAlignsWithIsNotAHeader()
    {
        const string text = "some words here\n                          12\n";
        Assert.Empty(TextLayout.Of(text).Tables);
    }

    [Fact]
    public void RepeatedHeaderWordsAreTwoColumns()
    {
        const string text = " face |bytes    packets|bytes    packets\n  lo:   53237     263    53237     263\n";
        Assert.Equal(["byte", "packet", "byte#2", "packet#2"], ColumnsOf(text));
    }
}
