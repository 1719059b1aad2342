using Komlogd.Core.Export;

namespace Komlogd.Export.Tests;

public sealed class LagClockTests
{
    private static readonly DateTimeOffset T0 = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    [Fact]
    public void TheLagIsHowLongTheOldestUndeliveredSampleHasBeenSeen()
    {
        var clock = new LagClock();
        clock.Saw(10, T0);
        clock.Saw(10, T0.AddSeconds(5));
        clock.Saw(20, T0.AddSeconds(8));

        Assert.Equal(12, clock.Seconds(0, T0.AddSeconds(12)));
        Assert.Equal(4, clock.Seconds(10, T0.AddSeconds(12)));
        Assert.Equal(0, clock.Seconds(20, T0.AddSeconds(12)));
    }

    [Fact]
    public void ManyNotesAreThinnedWithoutTheLagGettingYounger()
    {
        var clock = new LagClock();
        for (var i = 1; i <= 10_000; i++)
        {
            clock.Saw(i, T0.AddSeconds(i));
        }
        var now = T0.AddSeconds(20_000);

        for (var delivered = 0; delivered < 10_000; delivered += 997)
        {
            Assert.True(clock.Seconds(delivered, now) >= (now - T0.AddSeconds(delivered + 1)).TotalSeconds, $"after {delivered}");
        }
    }
}
