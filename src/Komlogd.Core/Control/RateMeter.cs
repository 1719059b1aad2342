namespace Komlogd.Core.Control;

/// <summary>A counter's rate over the last minute, from samples of it taken when asked (no timer).</summary>
internal sealed class RateMeter(Func<long> counter, TimeProvider time)
{
    private static readonly TimeSpan Window = TimeSpan.FromMinutes(1);
    private readonly Queue<(DateTimeOffset At, long Count)> _points = new();
    private readonly Lock _gate = new();

    public double PerSecond()
    {
        var now = time.GetUtcNow();
        var count = counter();
        lock (_gate)
        {
            _points.Enqueue((now, count));
            while (_points.Count > 2 && now - _points.Peek().At > Window)
            {
                _points.Dequeue();
            }
            var (at, first) = _points.Peek();
            var seconds = (now - at).TotalSeconds;
            return seconds <= 0 ? 0 : (count - first) / seconds;
        }
    }
}
