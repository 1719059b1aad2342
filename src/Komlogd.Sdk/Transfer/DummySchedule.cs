namespace Komlogd.Sdk;

/// <summary>
/// Runs a transfer method once, when it is loaded or bound, and never after: the counterpart of the Python
/// <c>DummySchedule</c>, for set-up work that should run inside the agent's transfer-method machinery (its
/// inserts committed together, a failure logged) but on no trigger.
/// </summary>
/// <remarks>
/// The original's <c>DummySchedule()</c> ran nothing unless given <c>exec_on_load=True</c>, and packages used
/// it with that flag; here it runs on load by default (<see cref="Schedule.ExecOnLoad"/> is true).
/// </remarks>
/// <example>
/// <code>
/// TransferMethods.Bind((DateTimeOffset t) =&gt; new Datasource("host.boot").Insert(t, "started"), new DummySchedule());
/// </code>
/// </example>
public sealed class DummySchedule : Schedule
{
    /// <summary>A schedule that runs the method once, on load.</summary>
    public DummySchedule()
    {
        ExecOnLoad = true;
    }

    /// <summary>For logs: <c>once on load</c>.</summary>
    public override string ToString() => "once on load";
}
