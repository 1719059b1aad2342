using Komlogd.Sdk;
using Komlogd.Sdk.Hosting;

namespace Komlogd.PluginHost;

/// <summary>
/// The runtime seen during one transfer-method run: inserts are kept until the run returns, then committed
/// together; a run that throws commits nothing. Reads and binds pass through.
/// </summary>
internal sealed class RunBuffer(HostRuntime runtime) : IKomlogdRuntime
{
    private readonly List<Sample> _samples = [];

    public IReadOnlyList<Sample> Samples
    {
        get
        {
            lock (_samples)
            {
                return [.. _samples];
            }
        }
    }

    public void Insert(Sample sample)
    {
        lock (_samples)
        {
            _samples.Add(sample);
        }
    }

    public Task<IReadOnlyList<Sample>> GetAsync(Metric metric, DateTimeOffset? start, DateTimeOffset? end, int? count, CancellationToken cancellationToken) =>
        runtime.GetAsync(metric, start, end, count, cancellationToken);

    public void OnBound(TransferMethodInfo method) => runtime.OnBound(method);

    public void OnUnbound(TransferMethodInfo method) => runtime.OnUnbound(method);
}
