using System.Reflection;
using System.Runtime.ExceptionServices;

namespace Komlogd.Sdk.Hosting;

/// <summary>
/// Runs one transfer method with its arguments matched by name, so the plugin host needs no reflection of
/// its own. For the host, and for a package's unit tests of its transfer methods.
/// </summary>
/// <example>
/// <code>
/// using var handle = TransferMethods.Bind(MyPackage.Watch, new OnUpdateSchedule("a.b"));
/// var updated = new[] { new Sample(new Datapoint("a.b"), t, 1m) };
/// await TransferMethodInvoker.InvokeAsync(handle.Info, t, updated, others: []);
/// </code>
/// </example>
public static class TransferMethodInvoker
{
    /// <summary>
    /// Calls the method with <c>t</c>, <c>updated</c> and <c>others</c> where it asks for them by name, the
    /// token where it has a <see cref="CancellationToken"/> parameter, its bind-time parameters, and the
    /// defaults of the rest; awaits it when it returns a <see cref="Task"/> or <see cref="ValueTask"/>.
    /// </summary>
    /// <param name="method">The method, from <see cref="TransferMethods.Bound"/> or <see cref="TransferMethodDiscovery.Find"/>.</param>
    /// <param name="t">The run's time (normalised like a sample's time).</param>
    /// <param name="updated">The samples that triggered the run, newest first; empty for a cron or on-load run.</param>
    /// <param name="others">The latest samples of <see cref="TransferMethodInfo.OtherUris"/>.</param>
    /// <param name="cancellationToken">Passed to the method's <see cref="CancellationToken"/> parameter if it has one.</param>
    /// <returns>Completes when the method has returned and its task (if any) has completed.</returns>
    /// <remarks>
    /// What the method throws comes out unchanged (not wrapped in <see cref="TargetInvocationException"/>),
    /// always through the returned task. Bind and discovery have checked the signature, so argument binding
    /// itself does not fail.
    /// </remarks>
    public static async Task InvokeAsync(
        TransferMethodInfo method,
        DateTimeOffset t,
        IReadOnlyList<Sample> updated,
        IReadOnlyList<Sample> others,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(method);
        ArgumentNullException.ThrowIfNull(updated);
        ArgumentNullException.ThrowIfNull(others);
        var plan = method.Plan;
        var arguments = new object?[plan.Length];
        for (var i = 0; i < plan.Length; i++)
        {
            arguments[i] = plan[i].Source switch
            {
                ArgumentSource.T => Sample.NormalizeTime(t),
                ArgumentSource.Updated => updated,
                ArgumentSource.Others => others,
                ArgumentSource.CancellationToken => cancellationToken,
                ArgumentSource.Given => plan[i].Value,
                // Reflection substitutes the parameter's declared default for Missing.
                _ => Type.Missing,
            };
        }
        object? result;
        try
        {
            result = method.Method.DynamicInvoke(arguments);
        }
        catch (TargetInvocationException e) when (e.InnerException is not null)
        {
            ExceptionDispatchInfo.Throw(e.InnerException);
            throw;
        }
        switch (result)
        {
            case Task task:
                await task.ConfigureAwait(false);
                break;
            case ValueTask valueTask:
                await valueTask.ConfigureAwait(false);
                break;
        }
    }
}
