namespace Komlogd.Sdk.Tests;

public sealed class TagAndAnomalyTests
{
    [Theory]
    [InlineData("host.load", "host.load._anomaly")]
    [InlineData("alice:host.load", "alice:host.load._anomaly")]
    public void AnAnomalyLivesUnderItsMetric(string uri, string expected)
    {
        var metric = new Datapoint(uri);
        var anomaly = new Anomaly(metric);
        Assert.Equal(expected, anomaly.Uri);
        Assert.Same(metric, anomaly.Metric);
        Assert.Equal(metric.IsGlobal, anomaly.IsGlobal);
    }

    [Theory]
    [InlineData("host.log", "severity", "high", "host.log._tags.severity.high")]
    [InlineData("alice:host.log", "k-1", "V_2", "alice:host.log._tags.k-1.V_2")]
    public void ATagLivesUnderItsMetric(string uri, string key, string value, string expected)
    {
        var tag = new Tag(new Datasource(uri), key, value);
        Assert.Equal(expected, tag.Uri);
        Assert.Equal(key, tag.Key);
        Assert.Equal(value, tag.Value);
    }

    [Theory]
    [InlineData("a.b", "v", "key", "tag key 'a.b' must be one uri level: [A-Za-z0-9-_]+, no dots")]
    [InlineData("", "v", "key", "tag key '' must be one uri level")]
    [InlineData("k", "x y", "value", "tag value 'x y' must be one uri level")]
    [InlineData("k", "ñ", "value", "tag value 'ñ' must be one uri level")]
    [InlineData("k", ".", "value", "tag value '.' must be one uri level")]
    [InlineData("alice:k", "v", "key", "tag key 'alice:k' must be one uri level")]
    public void ATagKeyOrValueMustBeOneUriLevel(string key, string value, string param, string rule)
    {
        var e = Assert.Throws<ArgumentException>(() => new Tag(new Datapoint("m"), key, value));
        Assert.StartsWith(rule, e.Message, StringComparison.Ordinal);
        Assert.Equal(param, e.ParamName);
    }

    [Fact]
    public void ADerivedUriOverTheLimitIsRefused()
    {
        var e = Assert.Throws<ArgumentException>(() => new Anomaly(new Datapoint(new string('a', 248))));
        Assert.StartsWith("uri is 257 characters long; the limit is 256", e.Message, StringComparison.Ordinal);
        Assert.Equal("metric", e.ParamName);
        Assert.Equal(256, new Anomaly(new Datapoint(new string('a', 247))).Uri.Length);
    }

    [Fact]
    public void ANullMetricIsRefused()
    {
        Assert.Throws<ArgumentNullException>(() => new Anomaly(null!));
        Assert.Throws<ArgumentNullException>(() => new Tag(null!, "k", "v"));
    }
}
