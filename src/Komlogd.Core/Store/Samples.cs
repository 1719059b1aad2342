namespace Komlogd.Core.Store;

/// <summary>A sample to write. <paramref name="Value"/> is the text, or the number in invariant form.</summary>
public readonly record struct NewSample(string Uri, SampleType Type, long TimeMs, string Value);

/// <summary>A sample read back.</summary>
public sealed record StoredSample(string Uri, SampleType Type, DateTimeOffset T, string Value);

/// <summary>One uri in the store, for <c>komlogd data ls</c>.</summary>
public sealed record UriSummary(string Uri, SampleType Type, long Count, DateTimeOffset? Last);

/// <summary>What to do when a uri already has a sample at the same millisecond.</summary>
public enum SampleConflict
{
    /// <summary>The new value replaces the old one (one value per uri and time, as Komlog).</summary>
    Replace,

    /// <summary>Move the new sample to the next free millisecond: for samples stamped "now" (komlogd -u).</summary>
    NextFreeMillisecond,
}

public static class SampleTime
{
    public static long ToMs(DateTimeOffset t) => t.ToUnixTimeMilliseconds();
    public static DateTimeOffset FromMs(long ms) => DateTimeOffset.FromUnixTimeMilliseconds(ms);
    public static string Format(DateTimeOffset t) => t.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ss.fffZ", System.Globalization.CultureInfo.InvariantCulture);
}
