using Komlogd.Protocol;
using Komlogd.Sdk;
using Komlogd.Sdk.Hosting;

namespace Komlogd.PluginHost;

/// <summary>
/// The SDK's runtime inside a host: inserts are queued and sent to the agent in batches (no round trip per
/// sample); a package inserting faster than the agent commits is slowed down at <see cref="MaxPending"/>
/// rather than growing without bound. Reads first flush what this host inserted, so a package reads its
/// own writes. Bind/unbind reach its <see cref="TransferScheduler"/>, made with it: no bind can come before
/// there is a scheduler to take it.
/// </summary>
internal sealed class HostRuntime : IKomlogdRuntime, IAsyncDisposable
{
    public const int MaxBatch = 10_000;
    public const int MaxPending = 200_000;

    private readonly IAgentChannel _agent;
    private readonly object _gate = new();
    private readonly SemaphoreSlim _send = new(1, 1);
    private readonly SemaphoreSlim _wake = new(0);
    private readonly CancellationTokenSource _closing = new();
    private readonly Task _flusher;
    // Samples as the package made them: encoding for the wire happens on the sending side
    // (SendPendingAsync), not in the package's Insert.
    private List<Sample> _pending = [];
    private long _lost;

    public HostRuntime(IAgentChannel agent, TimeProvider time, TimeZoneInfo zone, CancellationToken stopping)
    {
        _agent = agent;
        Scheduler = new TransferScheduler(agent, this, time, zone, stopping);
        _flusher = Task.Run(FlushLoopAsync);
    }

    /// <summary>Runs this runtime's transfer methods; binds made at run time go there.</summary>
    public TransferScheduler Scheduler { get; }

    /// <summary>Plainly inserted samples the agent did not store (refused, or its store failed), since the host started.</summary>
    public long Lost => Interlocked.Read(ref _lost);

    public void Insert(Sample sample)
    {
        lock (_gate)
        {
            while (_pending.Count >= MaxPending && !_closing.IsCancellationRequested)
            {
                Monitor.Wait(_gate, TimeSpan.FromSeconds(1));
            }
            _pending.Add(sample);
            if (_pending.Count == 1)
            {
                _wake.Release();
            }
        }
    }

    public async Task<IReadOnlyList<Sample>> GetAsync(Metric metric, DateTimeOffset? start, DateTimeOffset? end, int? count, CancellationToken cancellationToken)
    {
        await FlushAsync(cancellationToken).ConfigureAwait(false);
        var rows = await _agent.GetAsync(
            new GetRequest(metric.Uri, WireSamples.TypeOf(metric), start?.ToUnixTimeMilliseconds(), end?.ToUnixTimeMilliseconds(), count),
            cancellationToken).ConfigureAwait(false);
        return rows.Select(WireSamples.FromWire).ToList();
    }

    public void OnBound(TransferMethodInfo method) => Scheduler.Add(method, method.Method.Method.DeclaringType?.Assembly.GetName().Name ?? "?");

    public void OnUnbound(TransferMethodInfo method) => Scheduler.Remove(method);

    /// <summary>
    /// Sends the samples of one transfer-method run as one batch, named after the method: the agent commits
    /// them together and tags the updates they cause with <paramref name="run"/>.
    /// </summary>
    public async Task CommitRunAsync(IReadOnlyList<Sample> samples, string run, CancellationToken cancellationToken)
    {
        if (samples.Count == 0)
        {
            return;
        }
        await _send.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            await SendPendingAsync(cancellationToken).ConfigureAwait(false);
            await _agent.InsertAsync(WireSamples.ToBatch(samples) with { Run = run }, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _send.Release();
        }
    }

    /// <summary>Returns when everything inserted before the call is acknowledged by the agent.</summary>
    public async Task FlushAsync(CancellationToken cancellationToken)
    {
        await _send.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            await SendPendingAsync(cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _send.Release();
        }
    }

    /// <summary>
    /// Takes pending samples only while holding the send lock, so none is ever "taken but not sent" outside
    /// it. Up to <see cref="InFlight"/> batches are on the wire at once: the next batch is serialised and
    /// sent while the agent commits the previous one (the agent handles one channel's requests in order).
    /// </summary>
    private async Task SendPendingAsync(CancellationToken cancellationToken)
    {
        var inFlight = new Queue<(Task<int> Ack, int Count)>();
        try
        {
            while (true)
            {
                List<Sample> batch;
                lock (_gate)
                {
                    if (_pending.Count == 0)
                    {
                        break;
                    }
                    if (_pending.Count <= MaxBatch)
                    {
                        batch = _pending;
                        _pending = [];
                    }
                    else
                    {
                        batch = _pending.GetRange(0, MaxBatch);
                        _pending.RemoveRange(0, MaxBatch);
                    }
                    Monitor.PulseAll(_gate);
                }
                inFlight.Enqueue((_agent.InsertAsync(WireSamples.ToBatch(batch), cancellationToken), batch.Count));
                if (inFlight.Count >= InFlight)
                {
                    await AckAsync(inFlight.Dequeue()).ConfigureAwait(false);
                }
            }
        }
        finally
        {
            while (inFlight.Count > 0)
            {
                await AckAsync(inFlight.Dequeue()).ConfigureAwait(false);
            }
        }
    }

    public const int InFlight = 2;

    private async Task AckAsync((Task<int> Ack, int Count) sent)
    {
        try
        {
            await sent.Ack.ConfigureAwait(false);
        }
        catch (SamplesNotStoredException e)
        {
            // Nothing of the batch was stored (a rule broken, or the agent's store failing): plain inserts
            // have no run to fail, so the loss is said, with a count, where a person reads it.
            var lost = Interlocked.Add(ref _lost, sent.Count);
            await _agent.LogAsync(new LogEntry(LogLevels.Error, null,
                $"{sent.Count} samples were not stored and are lost: {e.Message} ({lost} lost since this host started)", null)).ConfigureAwait(false);
        }
    }

    private async Task FlushLoopAsync()
    {
        while (!_closing.IsCancellationRequested)
        {
            try
            {
                await _wake.WaitAsync(_closing.Token).ConfigureAwait(false);
                await FlushAsync(_closing.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }
            catch (Exception e) when (e is ObjectDisposedException or IOException)
            {
                // The channel is gone: the host ends (Program.cs).
                return;
            }
            catch (Exception e)
            {
                // Anything else would end this loop silently and leave every later insert waiting: say it, go on.
                await LogQuietlyAsync($"sending inserted samples failed: {e.GetType().Name}: {e.Message}; the next insert tries again").ConfigureAwait(false);
            }
        }
    }

    private async Task LogQuietlyAsync(string message)
    {
        try
        {
            await _agent.LogAsync(new LogEntry(LogLevels.Error, null, message, null)).ConfigureAwait(false);
        }
        catch (Exception e) when (e is ObjectDisposedException or IOException)
        {
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _closing.CancelAsync().ConfigureAwait(false);
        lock (_gate)
        {
            Monitor.PulseAll(_gate);
        }
        await _flusher.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
    }
}
