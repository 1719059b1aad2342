namespace Komlogd.Sdk;

/// <summary>
/// The base of the schedule attributes that go with <see cref="TransferMethodAttribute"/>:
/// <see cref="OnUpdateScheduleAttribute"/>, <see cref="CronScheduleAttribute"/> and <see cref="DummyScheduleAttribute"/>.
/// </summary>
/// <example>
/// <code>
/// [TransferMethod, CronSchedule(minute: "0", ExecOnLoad = true)]
/// public static void Hourly(DateTimeOffset t) { }
/// </code>
/// </example>
[AttributeUsage(AttributeTargets.Method, AllowMultiple = false, Inherited = false)]
public abstract class ScheduleAttribute : Attribute
{
    // private protected: only the schedule kinds the host knows exist.
    private protected ScheduleAttribute()
    {
    }

    /// <summary>Also run the method once when it is loaded (Python <c>exec_on_load</c>).</summary>
    public bool ExecOnLoad { get; set; }

    /// <summary>The schedule this attribute declares; validates it (attribute constructors must not throw).</summary>
    /// <returns>A new schedule object.</returns>
    /// <exception cref="ArgumentException">The declared schedule breaks a rule.</exception>
    public abstract Schedule ToSchedule();
}
