namespace Komlogd.Sdk;

/// <summary>
/// Runs a transfer method at the times given by classic cron fields: the counterpart of the Python
/// <c>CronSchedule(minute, hour, month, dow, dom)</c>, in the same parameter order.
/// </summary>
/// <remarks>
/// Each field is <c>*</c>, a number, a range <c>a-b</c>, a step <c>*/n</c> or <c>a-b/n</c>, or a comma list
/// of these. Ranges: minute 0-59, hour 0-23, day of month 1-31, month 1-12, day of week 0-7 with 0 and 7
/// both Sunday (cron's numbering). The Python original counted Monday as 0: set <see cref="MondayIsZero"/>
/// and the day of week takes 0-6, Monday to Sunday, so a ported package keeps its meaning. Names
/// (<c>MON</c>, <c>JAN</c>) are not accepted. As in cron, when both day fields are restricted a day matching
/// either one runs the method (the original required both: docs/packages.md lists the differences).
/// </remarks>
/// <example>
/// <code>
/// var nightly = new CronSchedule(minute: "30", hour: "3");            // "30 3 * * *"
/// var workHours = new CronSchedule(minute: "*/15", hour: "8-18", dayOfWeek: "1-5");
/// string expression = workHours.ToCronExpression();                   // "*/15 8-18 * * 1-5"
/// var ported = new CronSchedule(minute: "0", dayOfWeek: "0-4") { MondayIsZero = true };
/// ported.ToCronExpression();                                          // "0 * * * 1,2,3,4,5" (Monday to Friday)
/// </code>
/// </example>
public sealed class CronSchedule : Schedule
{
    private readonly bool _mondayIsZero;

    /// <summary>Creates a cron schedule; every field defaults to <c>*</c>.</summary>
    /// <param name="minute">Minute, 0-59.</param>
    /// <param name="hour">Hour, 0-23.</param>
    /// <param name="month">Month, 1-12.</param>
    /// <param name="dayOfWeek">Day of week, 0-7 (0 and 7 are Sunday); 0-6 from Monday with <see cref="MondayIsZero"/>.</param>
    /// <param name="dayOfMonth">Day of month, 1-31.</param>
    /// <exception cref="ArgumentException">A field breaks the syntax or its range; the message says which and how.</exception>
    public CronSchedule(string minute = "*", string hour = "*", string month = "*", string dayOfWeek = "*", string dayOfMonth = "*")
    {
        Minute = CronField.Check(minute, "minute", 0, 59, nameof(minute));
        Hour = CronField.Check(hour, "hour", 0, 23, nameof(hour));
        Month = CronField.Check(month, "month", 1, 12, nameof(month));
        DayOfWeek = CronField.Check(dayOfWeek, "day of week", 0, 7, nameof(dayOfWeek));
        DayOfMonth = CronField.Check(dayOfMonth, "day of month", 1, 31, nameof(dayOfMonth));
    }

    /// <summary>The minute field.</summary>
    public string Minute { get; }

    /// <summary>The hour field.</summary>
    public string Hour { get; }

    /// <summary>The month field.</summary>
    public string Month { get; }

    /// <summary>The day-of-week field as given (0 and 7 are Sunday; 0 is Monday with <see cref="MondayIsZero"/>).</summary>
    public string DayOfWeek { get; }

    /// <summary>The day-of-month field.</summary>
    public string DayOfMonth { get; }

    /// <summary>
    /// Reads <see cref="DayOfWeek"/> as the Python original did: 0 is Monday, 6 is Sunday (values 0-6).
    /// Off by default (cron's numbering, 0 and 7 Sunday).
    /// </summary>
    /// <exception cref="ArgumentException">Set on a day-of-week field with a 7.</exception>
    public bool MondayIsZero
    {
        get => _mondayIsZero;
        init
        {
            if (value)
            {
                CronField.Check(DayOfWeek, "day of week (Monday = 0)", 0, 6, "dayOfWeek");
            }
            _mondayIsZero = value;
        }
    }

    /// <summary>The standard five-field expression, <c>minute hour day-of-month month day-of-week</c>.</summary>
    /// <returns>
    /// E.g. <c>*/5 * * * *</c>; any standard cron parser (Cronos, crontab) accepts it. With
    /// <see cref="MondayIsZero"/> the day of week is written as the list of cron's numbers for those days.
    /// </returns>
    /// <example>
    /// <code>
    /// new CronSchedule(minute: "0", hour: "12", dayOfMonth: "1").ToCronExpression() // "0 12 1 * *"
    /// </code>
    /// </example>
    public string ToCronExpression() => $"{Minute} {Hour} {DayOfMonth} {Month} {CronDayOfWeek()}";

    // Monday = 0 is cron's 1, ..., Saturday = 5 is 6, Sunday = 6 is 0. The field is expanded to its days and
    // each renumbered: a range or step does not keep its shape across the wrap at Sunday.
    private string CronDayOfWeek() => !_mondayIsZero || DayOfWeek == "*"
        ? DayOfWeek
        : string.Join(',', CronField.Expand(DayOfWeek, 0, 6).Select(d => (d + 1) % 7).Order());

    /// <summary>For logs: <c>cron */5 * * * *</c>.</summary>
    public override string ToString() => $"cron {ToCronExpression()}";
}
