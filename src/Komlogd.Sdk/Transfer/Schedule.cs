namespace Komlogd.Sdk;

/// <summary>
/// When a transfer method runs: <see cref="OnUpdateSchedule"/> (when metrics get new samples),
/// <see cref="CronSchedule"/> (at times) or <see cref="DummySchedule"/> (once, on load). The counterpart of the
/// Python <c>Schedule</c>.
/// </summary>
/// <example>
/// <code>
/// Schedule every5 = new CronSchedule(minute: "*/5") { ExecOnLoad = true };
/// </code>
/// </example>
public abstract class Schedule
{
    // private protected: the host knows how to run exactly these kinds.
    private protected Schedule()
    {
    }

    /// <summary>Also run the method once as soon as it is loaded or bound (Python <c>exec_on_load</c>).</summary>
    public bool ExecOnLoad { get; init; }
}
