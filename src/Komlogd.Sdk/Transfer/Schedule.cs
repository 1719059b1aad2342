namespace Komlogd.Sdk;

/// <summary>
/// When a transfer method runs: <see cref="OnUpdateSchedule"/> (when metrics get new samples) or
/// <see cref="CronSchedule"/> (at times). The counterpart of the Python <c>Schedule</c>.
/// </summary>
/// <example>
/// <code>
/// Schedule every5 = new CronSchedule(minute: "*/5") { ExecOnLoad = true };
/// </code>
/// </example>
public abstract class Schedule
{
    // private protected: the host knows how to run exactly these two kinds.
    private protected Schedule()
    {
    }

    /// <summary>Also run the method once as soon as it is loaded or bound (Python <c>exec_on_load</c>).</summary>
    public bool ExecOnLoad { get; init; }
}
