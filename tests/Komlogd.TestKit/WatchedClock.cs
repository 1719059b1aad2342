using System.Globalization;
using Microsoft.Extensions.Time.Testing;

namespace Komlogd.TestKit;

/// <summary>
/// A fake clock that shows which timers are waiting on it, so a test asserts "still waiting" without
/// sleeping: wait until the code under test has set its timer (<see cref="WaitForTimerAsync"/>), advance
/// the clock to just before it is due, and look at once. <see cref="FakeTimeProvider.Advance"/> fires every
/// due timer on the calling thread before it returns, so nothing that is not due can have run.
/// </summary>
public sealed class WatchedClock(DateTimeOffset start) : FakeTimeProvider(start)
{
    private readonly Lock _gate = new();
    private readonly List<Watched> _timers = [];

    private sealed class Watched(DateTimeOffset due)
    {
        public DateTimeOffset Due { get; } = due;
        public bool Done { get; set; }
    }

    /// <summary>The fake's timer, marked done when disposed (a cancelled Task.Delay disposes its timer).</summary>
    private sealed class WatchedTimer(ITimer inner, Watched watched) : ITimer
    {
        public bool Change(TimeSpan dueTime, TimeSpan period) => inner.Change(dueTime, period);

        public void Dispose()
        {
            watched.Done = true;
            inner.Dispose();
        }

        public ValueTask DisposeAsync()
        {
            watched.Done = true;
            return inner.DisposeAsync();
        }
    }

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        var watched = new Watched(dueTime == Timeout.InfiniteTimeSpan ? DateTimeOffset.MaxValue : GetUtcNow() + dueTime);
        lock (_gate)
        {
            _timers.Add(watched);
        }
        return new WatchedTimer(base.CreateTimer(s =>
        {
            watched.Done = period == Timeout.InfiniteTimeSpan || period == TimeSpan.Zero;
            callback(s);
        }, state, dueTime, period), watched);
    }

    /// <summary>Timers set so far that have neither fired nor been disposed, by when they are due.</summary>
    public IReadOnlyList<DateTimeOffset> Waiting
    {
        get
        {
            lock (_gate)
            {
                return [.. _timers.Where(t => !t.Done).Select(t => t.Due).Order()];
            }
        }
    }

    /// <summary>Waits (in real time, generously) until a timer due at <paramref name="due"/> has been set and not fired.</summary>
    public Task WaitForTimerAsync(DateTimeOffset due, string what) =>
        Eventually.WaitAsync(() => Waiting.Contains(due), $"a timer due at {due:HH:mm:ss.fff} ({what}); waiting: {string.Join(", ", Waiting.Select(d => d.ToString("HH:mm:ss.fff", CultureInfo.InvariantCulture)))}", TimeSpan.FromSeconds(30));
}
