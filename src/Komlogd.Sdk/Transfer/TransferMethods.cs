using Komlogd.Sdk.Hosting;

namespace Komlogd.Sdk;

/// <summary>
/// Binds and unbinds transfer methods at run time: the counterpart of the Python
/// <c>transfermethod(f=..., f_params=..., schedule=...).bind()</c> and <c>.unbind()</c>. For methods known
/// at build time, <see cref="TransferMethodAttribute"/> is simpler.
/// </summary>
/// <remarks>
/// Binding checks the method's parameters against the reserved ones and the given parameters
/// (see <see cref="TransferMethodAttribute"/> for the rules) and tells the attached runtime
/// (<see cref="IKomlogdRuntime.OnBound"/>), which schedules it. Bound methods are kept in
/// <see cref="Bound"/> whether or not a runtime is attached, so a package's unit tests can bind and then
/// run them with <see cref="TransferMethodInvoker"/>.
/// </remarks>
/// <example>
/// <code>
/// foreach (var disk in disks)
/// {
///     handles.Add(TransferMethods.Bind(
///         (DateTimeOffset t, IReadOnlyList&lt;Sample&gt; updated, string name) =&gt; Check(t, updated, name),
///         new OnUpdateSchedule($"host.disk.{disk}.used"),
///         new Dictionary&lt;string, object?&gt; { ["name"] = disk }));
/// }
/// </code>
/// </example>
public static class TransferMethods
{
    private static readonly Lock Gate = new();
    private static readonly List<TransferMethodInfo> Methods = [];

    /// <summary>A snapshot of the methods bound now (not the attribute-declared ones), in bind order.</summary>
    public static IReadOnlyList<TransferMethodInfo> Bound
    {
        get
        {
            lock (Gate)
            {
                return [.. Methods];
            }
        }
    }

    /// <summary>
    /// Binds <paramref name="method"/> to run on <paramref name="schedule"/>, or, with no schedule, on update of
    /// every metric found in <paramref name="parameters"/> (as the Python original did without a schedule).
    /// </summary>
    /// <param name="method">A method group or lambda; its parameter names matter (see <see cref="TransferMethodAttribute"/>).</param>
    /// <param name="schedule">When it runs; null to run on update of the metrics in <paramref name="parameters"/>.</param>
    /// <param name="parameters">Values of the method's own parameters, by name; not <c>t</c>, <c>updated</c> or <c>others</c>.</param>
    /// <param name="data">Uris whose latest sample the method also receives in <c>others</c>.</param>
    /// <returns>A handle to unbind it.</returns>
    /// <exception cref="ArgumentException">
    /// A parameter is neither reserved, given nor optional; a given one is reserved, unknown or of the wrong
    /// type; the return type is not void/Task/ValueTask; a data uri is bad; or there is no schedule and no
    /// metric in the parameters. The message lists every problem.
    /// </exception>
    public static TransferMethodHandle Bind(
        Delegate method,
        Schedule? schedule = null,
        IReadOnlyDictionary<string, object?>? parameters = null,
        IReadOnlyList<string>? data = null) =>
        BindCore(method, schedule, parameters ?? new Dictionary<string, object?>(), data);

    /// <summary>
    /// Binds <paramref name="method"/> with its parameters given as an object's properties (an anonymous
    /// object) or as any dictionary with string keys; without a schedule it runs on update of every metric
    /// found in them: in the values, in lists, arrays, tuples and dictionaries, and in the properties of other
    /// objects that are metrics or such collections (the Python original's <c>f_params</c> search).
    /// </summary>
    /// <param name="method">A method group or lambda; its parameter names matter (see <see cref="TransferMethodAttribute"/>).</param>
    /// <param name="parameters">E.g. <c>new { util = new Datapoint("host.sda.util") }</c>.</param>
    /// <param name="schedule">When it runs; null (the default) to run on update of the metrics in <paramref name="parameters"/>.</param>
    /// <param name="data">Uris whose latest sample the method also receives in <c>others</c>.</param>
    /// <returns>A handle to unbind it.</returns>
    /// <exception cref="ArgumentException">As the other overload; also a dictionary whose keys are not strings.</exception>
    /// <example>
    /// <code>
    /// // Runs when host.sda.util gets a new sample; CheckDevice(DateTimeOffset t, Datapoint util) reads util.
    /// var handle = TransferMethods.Bind(CheckDevice, parameters: new { util = new Datapoint("host.sda.util") });
    /// </code>
    /// </example>
    public static TransferMethodHandle Bind(
        Delegate method,
        object parameters,
        Schedule? schedule = null,
        IReadOnlyList<string>? data = null)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        return BindCore(method, schedule, ParameterMetrics.ToDictionary(parameters, nameof(parameters)), data);
    }

    private static TransferMethodHandle BindCore(
        Delegate method,
        Schedule? schedule,
        IReadOnlyDictionary<string, object?> parameters,
        IReadOnlyList<string>? data)
    {
        ArgumentNullException.ThrowIfNull(method);
        if (method.GetInvocationList().Length > 1)
        {
            throw new ArgumentException("a transfer method is one method, not a multicast delegate", nameof(method));
        }
        if (schedule is null)
        {
            var metrics = ParameterMetrics.Find(parameters);
            if (metrics.Count == 0)
            {
                throw new ArgumentException(
                    $"cannot bind {TransferMethodInfo.NameOf(method)}: no schedule was given and its parameters hold no metric to run on; " +
                    "give a schedule (new DummySchedule() runs it once, on load) or metrics among its parameters", nameof(schedule));
            }
            schedule = new OnUpdateSchedule([.. metrics]);
        }
        var problems = new List<string>();
        var info = TransferMethodInfo.Create($"bind:{Guid.NewGuid():N}", method, schedule, parameters, data, problems);
        if (problems.Count > 0)
        {
            throw new ArgumentException($"cannot bind {info.Name}: {string.Join("; ", problems)}", nameof(method));
        }
        var runtime = KomlogdRuntime.Current;
        lock (Gate)
        {
            Methods.Add(info);
        }
        try
        {
            runtime?.OnBound(info);
        }
        catch
        {
            // The host refused it: it is not bound.
            Remove(info);
            throw;
        }
        return new TransferMethodHandle(info, runtime);
    }

    /// <summary>Unbinds a method bound with <see cref="Bind(Delegate, Schedule, IReadOnlyDictionary{string, object}, IReadOnlyList{string})"/>. A run already started may still finish.</summary>
    /// <param name="handle">What <see cref="Bind(Delegate, Schedule, IReadOnlyDictionary{string, object}, IReadOnlyList{string})"/> returned.</param>
    /// <returns>True if it was bound; false if it had been unbound already.</returns>
    public static bool Unbind(TransferMethodHandle handle)
    {
        ArgumentNullException.ThrowIfNull(handle);
        if (!Remove(handle.Info))
        {
            return false;
        }
        handle.Runtime?.OnUnbound(handle.Info);
        return true;
    }

    internal static bool Contains(TransferMethodInfo info)
    {
        lock (Gate)
        {
            return Methods.Contains(info);
        }
    }

    private static bool Remove(TransferMethodInfo info)
    {
        lock (Gate)
        {
            return Methods.Remove(info);
        }
    }
}
