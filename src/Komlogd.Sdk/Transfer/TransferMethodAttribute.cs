namespace Komlogd.Sdk;

/// <summary>
/// Declares a transfer method: the counterpart of the Python <c>@transfermethod</c> decorator. Give the
/// method exactly one schedule attribute (<see cref="OnUpdateScheduleAttribute"/>,
/// <see cref="CronScheduleAttribute"/> or <see cref="DummyScheduleAttribute"/>). The plugin host finds these methods when it loads the package.
/// </summary>
/// <remarks>
/// The method may be static on any class, or an instance method of the package's entry point class (run
/// on the instance the host created). It takes, by name, any of the reserved parameters <c>t</c>
/// (<see cref="DateTimeOffset"/>), <c>updated</c> (newest first) and <c>others</c> (<see cref="IReadOnlyList{T}"/> of
/// <see cref="Sample"/>), a <see cref="CancellationToken"/> parameter of any name (cancelled when the venv
/// stops), and other parameters only if they have default values. It returns <c>void</c>,
/// <see cref="Task"/> or <see cref="ValueTask"/>. For parameters given at run time use
/// <see cref="TransferMethods.Bind(Delegate, Schedule, IReadOnlyDictionary{string, object}, IReadOnlyList{string})"/>.
/// </remarks>
/// <example>
/// <code>
/// [TransferMethod(Data = ["host.load.5m"])]
/// [OnUpdateSchedule("host.load.1m")]
/// public static void Compare(DateTimeOffset t, IReadOnlyList&lt;Sample&gt; updated, IReadOnlyList&lt;Sample&gt; others)
/// {
///     // others: the latest sample of host.load.5m at or before t
/// }
/// </code>
/// </example>
[AttributeUsage(AttributeTargets.Method, AllowMultiple = false, Inherited = false)]
public sealed class TransferMethodAttribute : Attribute
{
    /// <summary>
    /// Uris whose latest sample at or before <c>t</c> the method receives in <c>others</c>, besides the
    /// activation uris that did not trigger the run.
    /// </summary>
    public string[] Data { get; set; } = [];
}
