namespace Komlogd.Sdk;

/// <summary>
/// Declares a <see cref="DummySchedule"/> on a <see cref="TransferMethodAttribute"/> method: it runs once,
/// after the package's <c>LoadAsync</c>, and never after.
/// </summary>
/// <example>
/// <code>
/// [TransferMethod, DummySchedule]
/// public static void Announce(DateTimeOffset t) =&gt; new Datasource("host.boot").Insert(t, "started");
/// </code>
/// </example>
public sealed class DummyScheduleAttribute : ScheduleAttribute
{
    /// <summary>Declares a method that runs once on load.</summary>
    public DummyScheduleAttribute()
    {
        ExecOnLoad = true;
    }

    /// <inheritdoc/>
    public override Schedule ToSchedule() => new DummySchedule();
}
