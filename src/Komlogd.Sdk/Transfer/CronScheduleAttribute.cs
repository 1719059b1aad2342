namespace Komlogd.Sdk;

/// <summary>
/// Declares a <see cref="CronSchedule"/> on a <see cref="TransferMethodAttribute"/> method. Written
/// <c>[CronSchedule(...)]</c>, like the schedule object, with the same parameters and defaults.
/// </summary>
/// <example>
/// <code>
/// [TransferMethod, CronSchedule(minute: "*/5", ExecOnLoad = true)]
/// public static async Task CollectAsync(DateTimeOffset t, CancellationToken cancellationToken) { }
/// </code>
/// </example>
/// <param name="minute">Minute, 0-59.</param>
/// <param name="hour">Hour, 0-23.</param>
/// <param name="month">Month, 1-12.</param>
/// <param name="dayOfWeek">Day of week, 0-7 (0 and 7 are Sunday); 0-6 from Monday with <see cref="MondayIsZero"/>.</param>
/// <param name="dayOfMonth">Day of month, 1-31.</param>
public sealed class CronScheduleAttribute(
    string minute = "*",
    string hour = "*",
    string month = "*",
    string dayOfWeek = "*",
    string dayOfMonth = "*") : ScheduleAttribute
{
    /// <summary>The minute field.</summary>
    public string Minute { get; } = minute;

    /// <summary>The hour field.</summary>
    public string Hour { get; } = hour;

    /// <summary>The month field.</summary>
    public string Month { get; } = month;

    /// <summary>The day-of-week field.</summary>
    public string DayOfWeek { get; } = dayOfWeek;

    /// <summary>The day-of-month field.</summary>
    public string DayOfMonth { get; } = dayOfMonth;

    /// <summary>Reads the day of week as the Python original did, 0 = Monday (see <see cref="CronSchedule.MondayIsZero"/>).</summary>
    public bool MondayIsZero { get; set; }

    /// <inheritdoc/>
    public override Schedule ToSchedule() =>
        new CronSchedule(Minute, Hour, Month, DayOfWeek, DayOfMonth) { ExecOnLoad = ExecOnLoad, MondayIsZero = MondayIsZero };
}
