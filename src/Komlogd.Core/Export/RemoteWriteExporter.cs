using Komlogd.Core.Control;
using Komlogd.Core.Store;
using Komlogd.Core.Supervision;
using Komlogd.Protocol.Control;
using Serilog;

namespace Komlogd.Core.Export;

/// <summary>
/// One <c>prometheus_remote_write</c> block: the durable outbox's reader. Reads the store in commit order
/// from the block's cursor, sends a batch, and saves the cursor past it only once the back end answered 2xx
/// (or the batch was settled: dropped on a 4xx, or its refused samples isolated and counted). Everything
/// committed is therefore sent at least once, whatever dies meanwhile: the store is the buffer. Owns the
/// block's <see cref="ExportState"/>; the loop never ends but for disposal, and every failure lands in
/// <see cref="Status"/> and the log.
/// </summary>
internal sealed class RemoteWriteExporter : IExporter
{
    /// <summary>Retries after 0.5, 1, 2, … s, at most 10 s apart (±20 %): a back end that is back is used within 10 s.</summary>
    public static readonly Backoff RetryBackoff = new() { Initial = TimeSpan.FromMilliseconds(500), Max = TimeSpan.FromSeconds(10), Jitter = 0.2 };

    /// <summary>How often a caught-up exporter looks for new commits.</summary>
    public static readonly TimeSpan Poll = TimeSpan.FromMilliseconds(200);

    private readonly SampleStore _store;
    private readonly TimeProvider _time;
    private readonly ILogger _log;
    private readonly UriFilter _filter;
    private readonly WriteRequestEncoder _encoder;
    private readonly RemoteWriteClient _client;
    private readonly LagClock _lag = new();
    private readonly CursorSaver _saver;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _run;

    private long _cursor = -1;
    private long _sent;
    private long _dropped;
    private long _refused;
    private int _disposed;
    private volatile string? _lastError;
    private volatile ExportState _state = ExportState.Running;

    /// <exception cref="KomlogdException">A file the block names cannot be read: the block cannot start.</exception>
    public RemoteWriteExporter(ExportBlock block, SampleStore store, TimeProvider time, ILogger log)
    {
        Block = block;
        _store = store;
        _time = time;
        _log = log.ForContext("Export", block.Target);
        _filter = new UriFilter(block.Include, block.Exclude);
        _encoder = new WriteRequestEncoder(block);
        _client = new RemoteWriteClient(block, time);
        _saver = new CursorSaver(store, block.Target, _log);
        // Loaded here, not on the loop: a status asked for just after a start must not read an unknown cursor
        // as "caught up" (lag 0), which a restarted agent with a backlog would otherwise show for a moment.
        TryLoadCursor();
        _run = Task.Run(RunAsync);
    }

    public ExportBlock Block { get; }

    /// <summary>The last seq delivered (or settled); -1 until the cursor is loaded.</summary>
    public long Cursor => Interlocked.Read(ref _cursor);

    public ExportStatusDto Status()
    {
        var now = _time.GetUtcNow();
        var cursor = Cursor;
        var last = _store.LastSeq;
        // An unknown cursor (the store could not be read for it; the loop retries) owes everything committed.
        long behind = last;
        double seconds = 0;
        if (cursor >= 0)
        {
            _lag.Saw(last, now);
            behind = Math.Max(0, last - cursor);
            seconds = Math.Round(_lag.Seconds(cursor, now), 1);
        }
        return new ExportStatusDto(Block.Target, "remote_write", _state.ToString(), behind, seconds, _saver.Error ?? _lastError,
            Interlocked.Read(ref _sent), Interlocked.Read(ref _dropped), Interlocked.Read(ref _refused));
    }

    private async Task RunAsync()
    {
        var ct = _stop.Token;
        var failures = 0;
        while (!ct.IsCancellationRequested)
        {
            try
            {
                await StepAsync(ct).ConfigureAwait(false);
                if (failures > 0)
                {
                    _state = ExportState.Running; // Backoff -> Running: the store reads again
                    failures = 0;
                }
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
                // Not the back end (that is SendOutcome): the store or a bug. Said where a person looks, then retried.
                failures++;
                _lastError = $"{e.GetType().Name}: {e.Message}";
                _state = ExportState.Backoff; // Running -> Backoff: reading the store failed
                _log.Error(e, "Export {Target}: {Error}; retrying", Block.Target, _lastError);
                try
                {
                    await Task.Delay(RetryBackoff.Delay(failures), _time, ct).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
            }
        }
    }

    /// <summary>One page: wait for commits, or read up to a batch from the cursor, settle it, save the cursor.</summary>
    private async Task StepAsync(CancellationToken ct)
    {
        if (Cursor < 0)
        {
            Interlocked.Exchange(ref _cursor, LoadCursor());
            _lastError = null;
            _state = ExportState.Running; // Backoff -> Running: the first load failed, this one did not
        }
        var last = _store.LastSeq;
        _lag.Saw(last, _time.GetUtcNow());
        if (last <= Cursor)
        {
            await Task.Delay(Poll, _time, ct).ConfigureAwait(false);
            return;
        }
        var page = _store.ReadSince(Cursor, Block.Batch, SampleType.Datapoint, _filter.Passes);
        if (page.Samples.Count > 0)
        {
            var refused = new Refusals();
            await DeliverAsync(page.Samples, refused, ct).ConfigureAwait(false);
            if (refused.Count > 0)
            {
                _log.Warning("Export {Target}: the back end refused {Count} sample(s) as out of order, too old or changed (first: {Uri} at {T}): {Error}",
                    Block.Target, refused.Count, refused.First!.Value.Uri, SampleTime.Format(SampleTime.FromMs(refused.First.Value.TimeMs)), refused.Error);
            }
        }
        _saver.Save(page.LastSeq);
        Interlocked.Exchange(ref _cursor, page.LastSeq);
    }

    /// <summary>The first load; a failure leaves the cursor unknown, in Backoff, for the loop to load again.</summary>
    private void TryLoadCursor()
    {
        try
        {
            Interlocked.Exchange(ref _cursor, LoadCursor());
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            _lastError = $"{e.GetType().Name}: {e.Message}";
            _state = ExportState.Backoff;
            _log.Error(e, "Export {Target}: reading its cursor failed: {Error}; retrying", Block.Target, _lastError);
        }
    }

    /// <summary>A target new to the store starts after what is committed now (or, <c>from: oldest</c>, before everything).</summary>
    private long LoadCursor()
    {
        if (_store.LoadCursor(Block.Target) is { } saved)
        {
            _log.Information("Export {Target}: resuming after sample {Seq}", Block.Target, saved);
            return saved;
        }
        var start = Block.FromOldest ? 0 : _store.LastSeq;
        _store.SaveCursor(Block.Target, start);
        _log.Information("Export {Target}: new target; exporting samples committed after {Seq}{Oldest}", Block.Target, start, Block.FromOldest ? " (from: oldest)" : "");
        return start;
    }

    /// <summary>
    /// Sends until the samples are settled. A refusal rolls back the whole request (Prometheus appends a
    /// request in one transaction), so a refused batch is halved until each refused sample stands alone:
    /// the good ones are delivered, the refused ones counted, none dropped unsaid.
    /// </summary>
    private async Task DeliverAsync(IReadOnlyList<SequencedSample> samples, Refusals refused, CancellationToken ct)
    {
        var result = await SendAsync(samples, ct).ConfigureAwait(false);
        switch (result.Outcome)
        {
            case SendOutcome.Delivered:
                Interlocked.Add(ref _sent, samples.Count);
                break;
            case SendOutcome.Dropped:
                Interlocked.Add(ref _dropped, samples.Count);
                _lastError = result.Error;
                _log.Error("Export {Target}: dropped {Count} sample(s): the back end answered {Error}; sending them again cannot help", Block.Target, samples.Count, result.Error);
                break;
            case SendOutcome.Refused when samples.Count == 1:
                Interlocked.Increment(ref _refused);
                _lastError = result.Error;
                refused.Add(samples[0], result.Error);
                break;
            case SendOutcome.Refused:
                var half = samples.Count / 2;
                await DeliverAsync(samples.Take(half).ToList(), refused, ct).ConfigureAwait(false);
                await DeliverAsync(samples.Skip(half).ToList(), refused, ct).ConfigureAwait(false);
                break;
        }
    }

    /// <summary>Sends one request until it is answered with something other than "try again".</summary>
    private async Task<SendResult> SendAsync(IReadOnlyList<SequencedSample> samples, CancellationToken ct)
    {
        var body = _encoder.Encode(samples);
        for (var failures = 1; ; failures++)
        {
            var result = await _client.SendAsync(body, ct).ConfigureAwait(false);
            if (result.Outcome != SendOutcome.Retry)
            {
                if (_state == ExportState.Backoff)
                {
                    _state = ExportState.Running; // Backoff -> Running: the back end answered
                    _log.Information("Export {Target}: the back end answers again", Block.Target);
                }
                return result;
            }
            _lastError = result.Error;
            if (_state != ExportState.Backoff)
            {
                _state = ExportState.Backoff; // Running -> Backoff: 5xx, 429, timeout or no connection
                _log.Warning("Export {Target}: {Error}; retrying with backoff, nothing is lost (the store holds the samples)", Block.Target, result.Error);
            }
            await Task.Delay(RetryBackoff.Delay(failures), _time, ct).ConfigureAwait(false);
        }
    }

    /// <summary>Stops the loop (the cursor stays where the last settled batch left it); may be called more than once.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1)
        {
            return;
        }
        await _stop.CancelAsync().ConfigureAwait(false);
        await _run.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        await _saver.FlushAsync().ConfigureAwait(false);
        _client.Dispose();
        _stop.Dispose();
    }

    /// <summary>The refused samples of one page, for one log line.</summary>
    private sealed class Refusals
    {
        public int Count { get; private set; }
        public SequencedSample? First { get; private set; }
        public string? Error { get; private set; }

        public void Add(SequencedSample sample, string? error)
        {
            Count++;
            First ??= sample;
            Error ??= error;
        }
    }
}
