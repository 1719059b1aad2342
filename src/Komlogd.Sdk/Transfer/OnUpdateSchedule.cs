namespace Komlogd.Sdk;

/// <summary>
/// Runs a transfer method when any of its activation metrics gets new samples, whoever wrote them
/// (this or another package, <c>komlogd -u</c>, the console). The counterpart of the Python
/// <c>OnUpdateSchedule(activation_metrics)</c>.
/// </summary>
/// <example>
/// <code>
/// var schedule = new OnUpdateSchedule("host.load.1m", "host.load.5m");
/// var same = new OnUpdateSchedule(new Datapoint("host.load.1m"), new Datapoint("host.load.5m"));
/// </code>
/// </example>
public sealed class OnUpdateSchedule : Schedule
{
    /// <summary>Runs when any of these uris gets new samples.</summary>
    /// <param name="activationUris">At least one local or global uri.</param>
    /// <exception cref="ArgumentException">None given, or one breaks a uri rule (the message says which).</exception>
    public OnUpdateSchedule(params string[] activationUris)
    {
        ArgumentNullException.ThrowIfNull(activationUris);
        ActivationUris = Distinct(activationUris, nameof(activationUris), requireOne: true);
    }

    /// <summary>Runs when any of these metrics gets new samples.</summary>
    /// <param name="activationMetrics">At least one metric.</param>
    /// <exception cref="ArgumentException">None given.</exception>
    public OnUpdateSchedule(params Metric[] activationMetrics)
    {
        ArgumentNullException.ThrowIfNull(activationMetrics);
        ActivationUris = Distinct(activationMetrics.Select(m => m?.Uri!), nameof(activationMetrics), requireOne: true);
    }

    /// <summary>The uris whose updates run the method, without duplicates, in order.</summary>
    public IReadOnlyList<string> ActivationUris { get; }

    internal static IReadOnlyList<string> Distinct(IEnumerable<string> uris, string paramName, bool requireOne)
    {
        var list = new List<string>();
        foreach (var uri in uris)
        {
            if (!Uris.TryValidate(uri, out var error))
            {
                throw new ArgumentException(error, paramName);
            }
            if (!list.Contains(uri, StringComparer.Ordinal))
            {
                list.Add(uri);
            }
        }
        if (list.Count == 0 && requireOne)
        {
            throw new ArgumentException("an on-update schedule needs at least one activation uri", paramName);
        }
        return list.AsReadOnly();
    }

    /// <summary>For logs: <c>on update of a.b, c.d</c>.</summary>
    public override string ToString() => $"on update of {string.Join(", ", ActivationUris)}";
}
