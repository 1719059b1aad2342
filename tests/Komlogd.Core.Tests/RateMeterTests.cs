using Komlogd.Core.Store;
using Microsoft.Extensions.Time.Testing;

namespace Komlogd.Core.Tests;

/// <summary>
/// The status's samples per second, counted as commits happen: no timer samples the counter, so a rate has to
/// come out right however rarely anything is committed (kpack_linux: one batch a minute) and whenever status asks.
/// </summary>
public sealed class RateMeterTests
{
    // On a 5-second boundary, so the figures below are exact.
    private static readonly DateTimeOffset T0 = new(2026, 12, 3, 6, 0, 0, TimeSpan.Zero);

    [Fact]
    public void ASteadyWriterReadsAsItsRate()
    {
        var clock = new FakeTimeProvider(T0);
        var meter = new RateMeter(clock);
        for (var i = 0; i < 36; i++)
        {
            clock.Advance(TimeSpan.FromSeconds(5));
            meter.Add(10); // 2 per second for three minutes
        }
        // Asked on a bucket's edge and in its middle: within a batch of the rate (10 in 60 s).
        Assert.InRange(meter.PerSecond(), 2.0, 2.0 + 10 / 60.0 + 1e-9);
        clock.Advance(TimeSpan.FromSeconds(2.5));
        Assert.InRange(meter.PerSecond(), 2.0 - 10 / 60.0, 2.0 + 10 / 60.0);
    }

    [Fact]
    public void OneBatchAMinuteReadsAsItsMinutesRateHalfAMinuteLater()
    {
        // What a 5-second sampler of the counter would have said: 126 in the last minute.
        var clock = new FakeTimeProvider(T0);
        var meter = new RateMeter(clock);
        clock.Advance(TimeSpan.FromMinutes(3));
        meter.Add(126);
        clock.Advance(TimeSpan.FromSeconds(30));
        Assert.Equal(126 / 60.0, meter.PerSecond(), precision: 6);
    }

    [Fact]
    public void WhatWasCommittedMoreThanAMinuteAgoNoLongerCounts()
    {
        var clock = new FakeTimeProvider(T0);
        var meter = new RateMeter(clock);
        clock.Advance(TimeSpan.FromMinutes(2));
        meter.Add(600);
        Assert.Equal(10.0, meter.PerSecond(), precision: 6);
        // The minute slides over the batch's 5 seconds: part of it counts, then none.
        clock.Advance(TimeSpan.FromSeconds(62.5));
        Assert.Equal(600 * 0.5 / 60, meter.PerSecond(), precision: 6);
        clock.Advance(TimeSpan.FromSeconds(2.5));
        Assert.Equal(0, meter.PerSecond());
        // A slot reused an hour later starts from nothing.
        clock.Advance(TimeSpan.FromHours(1));
        meter.Add(60);
        Assert.Equal(1.0, meter.PerSecond(), precision: 6);
    }

    [Fact]
    public void AnAgentUpForLessThanAMinuteDividesByItsUptime()
    {
        var clock = new FakeTimeProvider(T0);
        var meter = new RateMeter(clock);
        Assert.Equal(0, meter.PerSecond());
        clock.Advance(TimeSpan.FromSeconds(2));
        meter.Add(30);
        clock.Advance(TimeSpan.FromSeconds(8));
        Assert.Equal(3.0, meter.PerSecond(), precision: 6);
    }
}
