using Komlogd.Core.Supervision;

namespace Komlogd.Supervision.Tests;

public sealed class BackoffTests
{
    [Theory]
    [InlineData(1, 100)]
    [InlineData(2, 200)]
    [InlineData(3, 400)]
    [InlineData(9, 25_600)]
    [InlineData(10, 30_000)]
    [InlineData(1000, 30_000)]
    public void TheDelayDoublesFromAFastFirstRestartUpToTheCap(int failures, int ms) =>
        Assert.Equal(TimeSpan.FromMilliseconds(ms), new Backoff { Jitter = 0 }.Delay(failures));

    [Fact]
    public void JitterStaysWithinItsFractionAndUnderTheCap()
    {
        var backoff = new Backoff { Jitter = 0.2 };
        var random = new Random(42);
        var delays = Enumerable.Range(0, 1000).Select(_ => backoff.Delay(3, random).TotalMilliseconds).ToList();

        Assert.All(delays, d => Assert.InRange(d, 320, 480));
        Assert.True(delays.Distinct().Count() > 100, "jitter should spread delays");
        Assert.All(Enumerable.Range(0, 100).Select(_ => backoff.Delay(50, random)), d => Assert.True(d <= backoff.Max));
    }

    [Fact]
    public void ZeroFailuresIsAProgrammingError() =>
        Assert.Throws<ArgumentOutOfRangeException>(() => new Backoff().Delay(0));
}
