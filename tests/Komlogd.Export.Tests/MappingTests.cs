using System.Text.RegularExpressions;
using Komlogd.Core.Export;

namespace Komlogd.Export.Tests;

public sealed class MappingTests
{
    [Theory]
    [InlineData("host.cpu.user-pct", "host_cpu_user_pct")]
    [InlineData("alice:host.df", "alice_host_df")]
    [InlineData("1st.level", "_1st_level")]
    [InlineData("host.cpu._anomaly", "host_cpu__anomaly")]
    [InlineData("host.cpu._tags.state.high", "host_cpu__tags_state_high")]
    [InlineData("Already_Fine9", "Already_Fine9")]
    public void AUriBecomesAValidPrometheusMetricName(string uri, string name)
    {
        Assert.Equal(name, SeriesNames.MetricName(uri));
        Assert.Matches(new Regex("^[a-zA-Z_:][a-zA-Z0-9_:]*$"), SeriesNames.MetricName(uri));
    }

    [Theory]
    [InlineData("host.cpu", true)]
    [InlineData("host.cpu.user", false)]
    [InlineData("host", false)]
    [InlineData("pkg.kpack_linux.web-1.system", true)]
    [InlineData("pkg.kpack_linux.web-1.system._anomaly", true)]
    [InlineData("host.secret", false)]
    [InlineData("other.x", false)]
    public void IncludeGlobsMatchOneLevelWithAStarAndAnyLevelsWithTwoAndExcludeWins(string uri, bool passes)
    {
        var filter = new UriFilter(["host.*", "pkg.kpack_linux.**"], ["host.secret", "**.nothing"]);

        Assert.Equal(passes, filter.Passes(uri));
    }

    [Fact]
    public void NoIncludeListPassesEveryUriButTheExcludedOnes()
    {
        var filter = new UriFilter([], ["*._anomaly", "a.**"]);

        Assert.True(filter.Passes("b.c"));
        Assert.True(filter.Passes("b.c._anomaly"));
        Assert.False(filter.Passes("b._anomaly"));
        Assert.False(filter.Passes("a.b.c"));
        Assert.True(filter.Passes("a"));
    }

    [Fact]
    public void AStarMayStandInsideALevel()
    {
        var filter = new UriFilter(["host.cpu*", "alice:*.df"], []);

        Assert.True(filter.Passes("host.cpu0"));
        Assert.True(filter.Passes("alice:host.df"));
        Assert.False(filter.Passes("host.cpu0.user"));
        Assert.False(filter.Passes("bob:host.df"));
    }
}
