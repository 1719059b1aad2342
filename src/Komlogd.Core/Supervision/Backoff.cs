namespace Komlogd.Core.Supervision;

/// <summary>
/// Exponential backoff with jitter: the first restart is fast, each further failure in a row doubles the
/// wait up to <see cref="Max"/>; jitter spreads restarts of several venvs that failed together.
/// </summary>
public sealed record Backoff
{
    public TimeSpan Initial { get; init; } = TimeSpan.FromMilliseconds(100);
    public TimeSpan Max { get; init; } = TimeSpan.FromSeconds(30);
    public double Factor { get; init; } = 2;

    /// <summary>Fraction of the delay added or removed at random (0.2 = ±20 %).</summary>
    public double Jitter { get; init; } = 0.2;

    /// <summary>The wait before restart number <paramref name="failuresInARow"/> (1 = after the first failure).</summary>
    public TimeSpan Delay(int failuresInARow, Random? random = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(failuresInARow, 1);
        var exponent = Math.Min(failuresInARow - 1, 60);
        var ms = Math.Min(Initial.TotalMilliseconds * Math.Pow(Factor, exponent), Max.TotalMilliseconds);
        if (Jitter > 0)
        {
            ms *= 1 + (Jitter * ((2 * (random ?? Random.Shared).NextDouble()) - 1));
        }
        return TimeSpan.FromMilliseconds(Math.Min(ms, Max.TotalMilliseconds));
    }
}
