using System.Collections.Concurrent;
using Komlogd.Core.Store;
using Microsoft.Extensions.Time.Testing;

namespace Komlogd.Core.Tests;

/// <summary>What the hub publishes: only samples that changed something, under the uris as subscribed, and a writer's run back to it alone.</summary>
public sealed class SampleHubTests : IDisposable
{
    private readonly TempDir _dir = new("hub");
    private readonly SampleStore _store;
    private readonly SampleHub _hub;

    public SampleHubTests()
    {
        _store = SampleStore.Open(_dir["k.db"], "alice");
        _hub = new SampleHub(_store);
    }

    [Fact]
    public void AWritingHubFreesTheStoresPageCacheEveryFewMinutesAndNotMoreOften()
    {
        var clock = new FakeTimeProvider(DateTimeOffset.UnixEpoch);
        using var store = SampleStore.Open(_dir["cache.db"]);
        var hub = new SampleHub(store, clock);
        var minute = 0L;
        void Collection()
        {
            var t = minute++ * 60_000; // one time per collection, as a package's batch has
            hub.Insert(Enumerable.Range(0, 130).Select(i => new NewSample($"h.m{i}", SampleType.Datapoint, t, "1")).ToList());
        }

        // Commits every second for just under the period: the cache keeps what they wrote.
        for (var s = 1; s < SampleHub.CacheRelease.TotalSeconds; s++)
        {
            Collection();
            clock.Advance(TimeSpan.FromSeconds(1));
        }
        var held = store.CacheBytes;
        Assert.True(held > 1 << 20, $"the cache held {held} bytes");

        clock.Advance(TimeSpan.FromSeconds(1));
        Collection();
        Assert.True(store.CacheBytes < held / 16, $"{store.CacheBytes} of {held} bytes still held after the period");

        // The next commits fill it again until the next period.
        for (var s = 0; s < 60; s++)
        {
            Collection();
        }
        Assert.True(store.CacheBytes > 256 << 10, $"only {store.CacheBytes} bytes held");
        Assert.Equal(130 * (SampleHub.CacheRelease.TotalSeconds + 60), hub.Inserted);
    }

    [Fact]
    public void ASampleIdenticalToTheStoredOneReachesNobody()
    {
        var heard = new Heard();
        _hub.Subscribe(heard, ["h.x"]);

        _hub.Insert([new NewSample("h.x", SampleType.Datapoint, 1, "1")]);
        _hub.Insert([new NewSample("h.x", SampleType.Datapoint, 1, "1"), new NewSample("h.x", SampleType.Datapoint, 2, "2")]);
        _hub.Insert([new NewSample("h.x", SampleType.Datapoint, 1, "1")]);
        _hub.Insert([new NewSample("h.x", SampleType.Datapoint, 1, "7")]);

        Assert.Equal(["1@1", "2@2", "7@1"], heard.Samples.Select(s => $"{s.Value}@{SampleTime.ToMs(s.T)}"));
        Assert.Equal(3, heard.Calls);
        Assert.Equal(5, _hub.Inserted);
    }

    [Fact]
    public void AGlobalUriOfTheUserIsHeardAsSubscribedWhicheverFormWasWritten()
    {
        var global = new Heard();
        var local = new Heard();
        var both = new Heard();
        _hub.Subscribe(global, ["alice:h.g"]);
        _hub.Subscribe(local, ["h.g"]);
        _hub.Subscribe(both, ["h.g", "alice:h.g", "bob:h.g"]);

        _hub.Insert([new NewSample("h.g", SampleType.Datapoint, 1, "1")]);
        _hub.Insert([new NewSample("alice:h.g", SampleType.Datapoint, 2, "2")]);
        _hub.Insert([new NewSample("bob:h.g", SampleType.Datapoint, 3, "3")]);

        Assert.Equal(["alice:h.g 1", "alice:h.g 2"], global.Samples.Select(s => $"{s.Uri} {s.Value}"));
        Assert.Equal(["h.g 1", "h.g 2"], local.Samples.Select(s => $"{s.Uri} {s.Value}"));
        Assert.Equal(["h.g 1", "alice:h.g 1", "h.g 2", "alice:h.g 2", "bob:h.g 3"], both.Samples.Select(s => $"{s.Uri} {s.Value}"));
        Assert.Equal(["2", "1"], _hub.Get("alice:h.g").Select(s => s.Value));
    }

    [Fact]
    public void TheWritersRunIsGivenBackToTheWriterAlone()
    {
        var writer = new Heard();
        var other = new Heard();
        _hub.Subscribe(writer, ["h.r"]);
        _hub.Subscribe(other, ["h.r"]);

        _hub.Insert([new NewSample("h.r", SampleType.Datapoint, 1, "1")], SampleConflict.Replace, writer, "method-a");
        _hub.Insert([new NewSample("h.r", SampleType.Datapoint, 2, "2")]);

        Assert.Equal(["method-a", null], writer.Runs);
        Assert.Equal([null, null], other.Runs);
    }

    public void Dispose()
    {
        _store.Dispose();
        _dir.Dispose();
    }

    private sealed class Heard : ISampleSubscriber
    {
        public ConcurrentQueue<StoredSample> Samples { get; } = new();
        public ConcurrentQueue<string?> Runs { get; } = new();
        public int Calls => Runs.Count;

        public void OnSamples(IReadOnlyList<StoredSample> samples, string? ownRun)
        {
            foreach (var s in samples)
            {
                Samples.Enqueue(s);
            }
            Runs.Enqueue(ownRun);
        }
    }
}
