using System.Globalization;
using Komlogd.Sdk;

namespace Kpack.Linux;

/// <summary>
/// The <c>minute</c> setting: when the collection runs, as a cron minute field (the original's
/// <c>SCHED = CronSchedule(minute='*/5')</c>), and the shortest time between two runs, which bounds the
/// collection timeout. Guarded by SettingsTests.
/// </summary>
internal static class CollectionMinute
{
    /// <summary>Every minute, as the original's default <c>CronSchedule()</c>.</summary>
    public const string Default = "*";

    /// <summary>The cron rule <paramref name="field"/> breaks, in the SDK's words; null when it is a valid minute field.</summary>
    public static string? Check(string? field)
    {
        try
        {
            _ = new CronSchedule(minute: field!);
            return null;
        }
        catch (ArgumentException e)
        {
            // Without the " (Parameter 'minute')" that ArgumentException appends.
            return e.Message.Split(" (Parameter", 2)[0];
        }
    }

    /// <summary>
    /// The shortest time from one run to the next over the hour's cycle (<c>*</c> → 1 minute, <c>*/5</c> → 5,
    /// <c>0,45</c> → 15, <c>7</c> → 60). <paramref name="field"/> must already be valid.
    /// </summary>
    public static TimeSpan Period(string field)
    {
        var minutes = new SortedSet<int>();
        foreach (var item in field.Split(','))
        {
            var (range, step) = item.Split('/') is [var r, var s] ? (r, int.Parse(s, CultureInfo.InvariantCulture)) : (item, 1);
            var (from, to) = range == "*" ? (0, 59)
                : range.Split('-') is [var a, var b] ? (int.Parse(a, CultureInfo.InvariantCulture), int.Parse(b, CultureInfo.InvariantCulture))
                : (int.Parse(range, CultureInfo.InvariantCulture), int.Parse(range, CultureInfo.InvariantCulture));
            for (var m = from; m <= to; m += step)
            {
                minutes.Add(m);
            }
        }
        var list = minutes.ToList();
        // The gap from the last run of an hour to the first of the next counts too.
        var gaps = list.Zip(list.Skip(1), (a, b) => b - a).Append(list[0] + 60 - list[^1]);
        return TimeSpan.FromMinutes(gaps.Min());
    }
}
