namespace Komlogd.Sdk.Tests;

public sealed class MetricTests
{
    private const string LocalRule = "must be levels of [A-Za-z0-9-_] joined by single dots";

    public static TheoryData<string> ValidUris => new()
    {
        "a",
        "host.occupation",
        "A.B.C_1-2",
        "alice:host.cpu",
        "a.b-c.d_e:x",
        new string('a', 256),
        "alice:" + new string('a', 250),
    };

    [Theory]
    [MemberData(nameof(ValidUris))]
    public void EveryMetricKindAcceptsAValidUri(string uri)
    {
        Assert.Equal(uri, new Datasource(uri).Uri);
        Assert.Equal(uri, new Datapoint(uri).Uri);
    }

    public static TheoryData<string?, string> InvalidUris => new()
    {
        { "", "uri is empty" },
        { null, "a uri is required" },
        { new string('a', 257), "uri is 257 characters long; the limit is 256" },
        { "alice:" + new string('a', 251), "uri is 257 characters long; the limit is 256" },
        { ".a", "uri '.a' starts with a dot" },
        { "a..b", $"uri 'a..b' {LocalRule}" },
        { "a.", $"uri 'a.' {LocalRule}" },
        { "naïve.uri", $"uri 'naïve.uri' {LocalRule}" },
        { "мир.cpu", $"uri 'мир.cpu' {LocalRule}" },
        { "host.😀", $"uri 'host.😀' {LocalRule}" },
        { "a b", $"uri 'a b' {LocalRule}" },
        { "alice.:x", "the username before ':' must match" },
        { "alice:", "uri 'alice:' has nothing after ':'" },
        { "alice:.x", "uri 'alice:.x' starts with a dot" },
        { "a:b:c", $"uri 'a:b:c' {LocalRule}" },
    };

    [Theory]
    [MemberData(nameof(InvalidUris))]
    public void ABadUriIsRefusedWithTheRuleItBreaks(string? uri, string rule)
    {
        foreach (var create in new Func<Metric>[] { () => new Datasource(uri!), () => new Datapoint(uri!) })
        {
            var e = Assert.Throws<ArgumentException>(() => create());
            Assert.Contains(rule, e.Message, StringComparison.Ordinal);
            Assert.Equal("uri", e.ParamName);
        }
    }

    [Theory]
    [InlineData("host.cpu", false)]
    [InlineData("alice:host.cpu", true)]
    public void IsGlobalTellsAUserQualifiedUri(string uri, bool global) => Assert.Equal(global, new Datapoint(uri).IsGlobal);

    [Fact]
    public void MetricsAreEqualByUriAndKind()
    {
        Assert.Equal(new Datapoint("a.b"), new Datapoint("a.b"));
        Assert.True(new Datapoint("a.b") == new Datapoint("a.b"));
        Assert.NotEqual<Metric>(new Datapoint("a.b"), new Datasource("a.b"));
        Assert.True(new Datapoint("a.b") != new Datasource("a.b"));
        Assert.NotEqual(new Datapoint("a.b"), new Datapoint("a.B"));
        Assert.NotEqual(new Datapoint("a.b"), new Datapoint("alice:a.b"));
        Assert.Equal<Metric>(new Anomaly(new Datasource("a")), new Datapoint("a._anomaly"));
        Assert.Equal(new Datapoint("a.b").GetHashCode(), new Datapoint("a.b").GetHashCode());
    }

    [Fact]
    public void KindFollowsTheMetric()
    {
        Assert.Equal(MetricKind.Datasource, new Datasource("a").Kind);
        Assert.Equal(MetricKind.Datapoint, new Datapoint("a").Kind);
        Assert.Equal(MetricKind.Datapoint, new Anomaly(new Datasource("a")).Kind);
        Assert.Equal(MetricKind.Datapoint, new Tag(new Datasource("a"), "k", "v").Kind);
    }

    [Fact]
    public void SuppliesAreKeptInOrderWithoutDuplicates()
    {
        var ds = new Datasource("host.df", ["root", "home", "root", "var.log"]);
        Assert.Equal(["root", "home", "var.log"], ds.Supplies);
        Assert.Null(new Datasource("host.df").Supplies);
        Assert.NotNull(new Datasource("host.df", []).Supplies);
        Assert.Empty(new Datasource("host.df", []).Supplies!);
    }

    [Theory]
    [InlineData("", "supplies: uri is empty")]
    [InlineData("alice:x", "supplies: uri 'alice:x' must be levels")]
    [InlineData(".x", "supplies: uri '.x' starts with a dot")]
    public void ABadSuppliedNameIsRefused(string name, string rule)
    {
        var e = Assert.Throws<ArgumentException>(() => new Datasource("host.df", [name]));
        Assert.StartsWith(rule, e.Message, StringComparison.Ordinal);
        Assert.Equal("supplies", e.ParamName);
    }

    [Fact]
    public void ASuppliedNameThatMakesTooLongAUriIsRefused()
    {
        var e = Assert.Throws<ArgumentException>(() => new Datasource(new string('a', 250), ["bcdefg"]));
        Assert.Contains("uri is 257 characters long; the limit is 256", e.Message, StringComparison.Ordinal);
    }
}
