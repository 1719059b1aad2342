namespace Komlogd.Sdk;

/// <summary>
/// Declares an <see cref="OnUpdateSchedule"/> on a <see cref="TransferMethodAttribute"/> method. Written
/// <c>[OnUpdateSchedule(...)]</c>, like the schedule object.
/// </summary>
/// <example>
/// <code>
/// [TransferMethod, OnUpdateSchedule("host.load.1m", "host.load.5m")]
/// public static void OnLoad(IReadOnlyList&lt;Sample&gt; updated) { }
/// </code>
/// </example>
/// <param name="activationUris">At least one local or global uri.</param>
public sealed class OnUpdateScheduleAttribute(params string[] activationUris) : ScheduleAttribute
{
    /// <summary>The uris whose updates run the method.</summary>
    public IReadOnlyList<string> ActivationUris { get; } = activationUris ?? [];

    /// <inheritdoc/>
    public override Schedule ToSchedule() => new OnUpdateSchedule([.. ActivationUris]) { ExecOnLoad = ExecOnLoad };
}
