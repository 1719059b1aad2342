namespace Komlogd.Core.Store;

/// <summary>
/// Samples committed per second over the last minute, counted as they are committed: 5-second buckets the
/// writer adds to, summed when asked (the 12 that end in the minute, and the share of the one before that the
/// minute still covers). Nothing samples it on a timer: a 5-second timer kept an idle agent's thread pool
/// awake (docs/benchmarks.md, "An idle agent's timers").
/// </summary>
internal sealed class RateMeter
{
    private const int Buckets = 13;
    private static readonly long BucketTicks = TimeSpan.FromSeconds(5).Ticks;
    private static readonly long WindowTicks = TimeSpan.FromMinutes(1).Ticks;

    private readonly TimeProvider _time;
    private readonly long _startTicks;
    private readonly long[] _counts = new long[Buckets];
    // The bucket number (time / 5 s) each slot counts; a slot whose number is older than the window counts nothing.
    private readonly long[] _numbers = new long[Buckets];
    private readonly Lock _gate = new();

    public RateMeter(TimeProvider time)
    {
        _time = time;
        _startTicks = time.GetUtcNow().UtcTicks;
        Array.Fill(_numbers, long.MinValue);
    }

    /// <summary>Counts <paramref name="count"/> committed now.</summary>
    public void Add(long count)
    {
        var number = _time.GetUtcNow().UtcTicks / BucketTicks;
        var slot = (int)(number % Buckets);
        lock (_gate)
        {
            if (_numbers[slot] != number)
            {
                _numbers[slot] = number;
                _counts[slot] = 0;
            }
            _counts[slot] += count;
        }
    }

    /// <summary>
    /// The rate over the last minute, or since the meter was made when that is shorter. The oldest bucket
    /// counts for the part of it the minute covers, as if what it holds came evenly.
    /// </summary>
    public double PerSecond()
    {
        var now = _time.GetUtcNow().UtcTicks;
        var number = now / BucketTicks;
        var oldestShare = 1 - (double)(now % BucketTicks) / BucketTicks;
        double sum = 0;
        lock (_gate)
        {
            for (var i = 0; i < Buckets; i++)
            {
                var age = number - _numbers[i];
                sum += age switch
                {
                    >= 0 and < Buckets - 1 => _counts[i],
                    Buckets - 1 => _counts[i] * oldestShare,
                    _ => 0,
                };
            }
        }
        var seconds = (double)Math.Min(WindowTicks, now - _startTicks) / TimeSpan.TicksPerSecond;
        return seconds <= 0 ? 0 : sum / seconds;
    }
}
