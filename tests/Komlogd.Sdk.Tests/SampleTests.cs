using System.Globalization;

namespace Komlogd.Sdk.Tests;

public sealed class SampleTests
{
    private static readonly DateTimeOffset T0 = new(2025, 1, 1, 0, 0, 0, TimeSpan.Zero);

    public static TheoryData<string, int> TextsWithinTheLimit => new()
    {
        { "", 0 },
        { new string('x', 128 * 1024), 131072 },
        { new string('é', 64 * 1024), 131072 },           // 2 bytes each
        { string.Concat(Enumerable.Repeat("😀", 32 * 1024)), 131072 }, // 4 bytes each, 2 UTF-16 chars
    };

    [Theory]
    [MemberData(nameof(TextsWithinTheLimit))]
    public void TextUpTo128KiBOfUtf8IsAccepted(string text, int bytes)
    {
        Assert.Equal(bytes, System.Text.Encoding.UTF8.GetByteCount(text));
        Assert.Equal(text, new Sample(new Datasource("a"), T0, text).Value);
    }

    public static TheoryData<string, int> TextsOverTheLimit => new()
    {
        { new string('x', (128 * 1024) + 1), 131073 },
        { new string('x', (128 * 1024) - 1) + "é", 131073 },     // 131071 chars, one too many bytes
        { new string('é', 64 * 1024) + "x", 131073 },
        { new string('x', (128 * 1024) - 3) + "😀", 131073 },
    };

    [Theory]
    [MemberData(nameof(TextsOverTheLimit))]
    public void TextOverTheLimitIsRefusedCountingUtf8Bytes(string text, int bytes)
    {
        var e = Assert.Throws<ArgumentException>(() => new Sample(new Datasource("a"), T0, text));
        Assert.StartsWith($"datasource 'a': the text is {bytes} bytes of UTF-8; the limit is 131072", e.Message, StringComparison.Ordinal);
        Assert.Equal("value", e.ParamName);
    }

    [Fact]
    public void ALoneSurrogateIsRefused()
    {
        var e = Assert.Throws<ArgumentException>(() => new Sample(new Datasource("a"), T0, "ab\uD800"));
        Assert.StartsWith("datasource 'a': the text is not valid UTF-16 (a lone surrogate at index 2)", e.Message, StringComparison.Ordinal);
    }

    public static TheoryData<Metric, object?, string> WrongValues => new()
    {
        { new Datasource("ds"), 1m, "datasource 'ds' holds text; got Decimal" },
        { new Datasource("ds"), null, "datasource 'ds' holds text; got null" },
        { new Datapoint("dp"), "1", "datapoint 'dp' holds decimal numbers; got String" },
        { new Datapoint("dp"), 1.5, "datapoint 'dp' holds decimal numbers; got Double (convert explicitly" },
        { new Datapoint("dp"), 1.5f, "datapoint 'dp' holds decimal numbers; got Single" },
        { new Datapoint("dp"), null, "datapoint 'dp' holds decimal numbers; got null" },
        { new Anomaly(new Datapoint("dp")), 2m, "anomaly 'dp._anomaly' takes 0 (normal) or 1 (anomalous); got 2" },
        { new Anomaly(new Datapoint("dp")), 0.5m, "anomaly 'dp._anomaly' takes 0 (normal) or 1 (anomalous); got 0.5" },
        { new Anomaly(new Datapoint("dp")), -1, "anomaly 'dp._anomaly' takes 0 (normal) or 1 (anomalous); got -1" },
        { new Anomaly(new Datapoint("dp")), "1", "datapoint 'dp._anomaly' holds decimal numbers; got String" },
    };

    [Theory]
    [MemberData(nameof(WrongValues))]
    public void AValueMustFitTheMetric(Metric metric, object? value, string rule)
    {
        var e = Assert.Throws<ArgumentException>(() => new Sample(metric, T0, value!));
        Assert.StartsWith(rule, e.Message, StringComparison.Ordinal);
    }

    public static TheoryData<Metric, object, decimal> NumbersKept => new()
    {
        { new Datapoint("dp"), 1.25m, 1.25m },
        { new Datapoint("dp"), 7, 7m },
        { new Datapoint("dp"), long.MaxValue, long.MaxValue },
        { new Datapoint("dp"), (byte)3, 3m },
        { new Anomaly(new Datapoint("dp")), 0, 0m },
        { new Anomaly(new Datapoint("dp")), 1.000m, 1m },
        { new Tag(new Datapoint("dp"), "k", "v"), -3.5m, -3.5m },
    };

    [Theory]
    [MemberData(nameof(NumbersKept))]
    public void NumbersAreKeptAsDecimal(Metric metric, object value, decimal expected)
    {
        var sample = new Sample(metric, T0, value);
        Assert.IsType<decimal>(sample.Value);
        Assert.Equal(expected, (decimal)sample.Value);
    }

    public static TheoryData<string, string> Times => new()
    {
        { "2025-01-01T00:00:00.1239999+00:00", "2025-01-01T00:00:00.1230000+00:00" },
        { "2025-01-01T02:00:00.5005+02:00", "2025-01-01T00:00:00.5000000+00:00" },
        { "2024-12-31T19:00:00.0009-05:00", "2025-01-01T00:00:00.0000000+00:00" },
        { "1969-12-31T23:59:59.9999+00:00", "1969-12-31T23:59:59.9990000+00:00" },
        { "2025-06-30T12:34:56.789+00:00", "2025-06-30T12:34:56.7890000+00:00" },
    };

    [Theory]
    [MemberData(nameof(Times))]
    public void TimeIsTruncatedToTheMillisecondInUtc(string given, string expected)
    {
        var t = DateTimeOffset.Parse(given, CultureInfo.InvariantCulture);
        var sample = new Sample(new Datapoint("a"), t, 1m);
        Assert.Equal(expected, sample.T.ToString("O", CultureInfo.InvariantCulture));
        Assert.Equal(TimeSpan.Zero, sample.T.Offset);
        Assert.Equal(sample.T, Sample.NormalizeTime(t));
    }

    [Fact]
    public void SamplesAreEqualByMetricTimeAndValue()
    {
        var t = T0.AddTicks(5);
        Assert.Equal(new Sample(new Datapoint("a"), t, 1m), new Sample(new Datapoint("a"), T0, 1.0m));
        Assert.NotEqual(new Sample(new Datapoint("a"), T0, 1m), new Sample(new Datapoint("a"), T0, 2m));
        Assert.NotEqual(new Sample(new Datapoint("a"), T0, 1m), new Sample(new Datapoint("b"), T0, 1m));
        Assert.Equal("a 2025-01-01T00:00:00.000Z 1", new Sample(new Datapoint("a"), t, 1m).ToString());
    }
}
