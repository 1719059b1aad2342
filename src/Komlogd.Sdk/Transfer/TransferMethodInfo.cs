using System.Reflection;

namespace Komlogd.Sdk;

/// <summary>
/// A transfer method as the plugin host sees it: the delegate to run, its schedule, the uris it reads and
/// the parameters given at bind time. Made by <see cref="TransferMethods.Bind(Delegate, Schedule, IReadOnlyDictionary{string, object}, IReadOnlyList{string})"/> and by
/// <see cref="Hosting.TransferMethodDiscovery.Find"/>; run with <see cref="Hosting.TransferMethodInvoker"/>.
/// </summary>
/// <example>
/// <code>
/// foreach (var m in TransferMethods.Bound)
///     Console.WriteLine($"{m.Id} {m.Name}: {m.Schedule}");
/// </code>
/// </example>
public sealed class TransferMethodInfo
{
    private TransferMethodInfo(
        string id,
        Delegate method,
        Schedule schedule,
        IReadOnlyList<string> data,
        IReadOnlyDictionary<string, object?> parameters,
        ArgumentSlot[] plan)
    {
        Id = id;
        Method = method;
        Schedule = schedule;
        Data = data;
        Parameters = parameters;
        Plan = plan;
        ActivationUris = schedule is OnUpdateSchedule onUpdate ? onUpdate.ActivationUris : [];
        Uris = ActivationUris.Concat(data).Distinct(StringComparer.Ordinal).ToList().AsReadOnly();
    }

    /// <summary>
    /// Identifies the method while it exists. Declared methods: <c>Assembly:Namespace.Type.Method</c>, the
    /// same in every run of the package. Bound methods: <c>bind:</c> and a new GUID per bind.
    /// </summary>
    public string Id { get; }

    /// <summary>For logs: <c>Namespace.Type.Method</c> (a lambda shows its compiler-made name).</summary>
    public string Name => NameOf(Method);

    /// <summary>The method, bound to its target (the entry point instance, a closure) when it has one.</summary>
    public Delegate Method { get; }

    /// <summary>When it runs.</summary>
    public Schedule Schedule { get; }

    /// <summary>The uris of <see cref="TransferMethodAttribute.Data"/> (or the <c>data</c> given to Bind).</summary>
    public IReadOnlyList<string> Data { get; }

    /// <summary>The method's own parameters, given at bind time, by name.</summary>
    public IReadOnlyDictionary<string, object?> Parameters { get; }

    /// <summary>The uris whose updates run it: those of an <see cref="OnUpdateSchedule"/>, else none.</summary>
    public IReadOnlyList<string> ActivationUris { get; }

    /// <summary>Every uri the host must follow or read for it: activation uris, then data uris.</summary>
    public IReadOnlyList<string> Uris { get; }

    internal ArgumentSlot[] Plan { get; }

    /// <summary>
    /// The uris whose latest sample at or before <c>t</c> the host passes as <c>others</c>: the activation
    /// uris that are not in <paramref name="updated"/>, then the <see cref="Data"/> uris not in it either
    /// (as in the Python original, where <c>others</c> held the activation metrics that did not change).
    /// </summary>
    /// <param name="updated">The samples that triggered the run (empty for a cron or on-load run).</param>
    /// <returns>Uris in order, without duplicates.</returns>
    /// <example>
    /// <code>
    /// var uris = info.OtherUris(updated); // read each one's latest sample at or before t
    /// </code>
    /// </example>
    public IReadOnlyList<string> OtherUris(IEnumerable<Sample> updated)
    {
        ArgumentNullException.ThrowIfNull(updated);
        var seen = updated.Select(s => s.Metric.Uri).ToHashSet(StringComparer.Ordinal);
        return Uris.Where(seen.Add).ToList().AsReadOnly();
    }

    /// <summary>For logs: id, name and schedule.</summary>
    public override string ToString() => $"{Id} ({Name}, {Schedule})";

    internal static TransferMethodInfo Create(
        string id,
        Delegate method,
        Schedule schedule,
        IReadOnlyDictionary<string, object?>? parameters,
        IEnumerable<string>? data,
        List<string> problems)
    {
        var given = new Dictionary<string, object?>(parameters ?? new Dictionary<string, object?>(), StringComparer.Ordinal);
        var plan = TransferMethodSignature.Plan(method.Method, given, problems);
        IReadOnlyList<string> dataUris = [];
        try
        {
            dataUris = OnUpdateSchedule.Distinct(data ?? [], nameof(data), requireOne: false);
        }
        catch (ArgumentException e)
        {
            problems.Add($"data: {e.Message}");
        }
        return new TransferMethodInfo(id, method, schedule, dataUris, given.AsReadOnly(), plan);
    }

    internal static string NameOf(Delegate method) => $"{method.Method.DeclaringType?.FullName}.{method.Method.Name}";

    internal static string DeclaredId(MethodInfo method) =>
        $"{method.DeclaringType?.Assembly.GetName().Name}:{method.DeclaringType?.FullName}.{method.Name}";
}
