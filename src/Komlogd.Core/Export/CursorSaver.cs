using Komlogd.Core.Store;
using Serilog;

namespace Komlogd.Core.Export;

/// <summary>
/// Saves an export block's cursor off the send loop. The save shares the insert path's lock (no SQLITE_BUSY
/// waits between the two), and under load that lock is held for a whole 10,000-sample commit: waiting for it
/// after every batch held the exporter to a batch per commit (5,600 samples/s in bench/run export). Here the
/// loop hands over each acknowledged position and goes on; one save runs at a time and writes the newest
/// position handed over. Only acknowledged positions are handed over, so a saved cursor never passes what
/// the back end has; a crash loses at most the positions not yet written, which are sent again.
/// </summary>
internal sealed class CursorSaver(SampleStore store, string target, ILogger log)
{
    private readonly Lock _gate = new();
    private long _wanted = -1;
    private long _saved = -1;
    private Task _running = Task.CompletedTask;

    /// <summary>Why the last save failed, or null once a save succeeds again.</summary>
    public string? Error { get; private set; }

    public void Save(long seq)
    {
        lock (_gate)
        {
            _wanted = seq;
            if (_running.IsCompleted)
            {
                _running = Task.Run(WriteAsync);
            }
        }
    }

    /// <summary>Waits for the newest position to be written (stopping, tests).</summary>
    public async Task FlushAsync()
    {
        Task running;
        lock (_gate)
        {
            running = _running;
        }
        await running.ConfigureAwait(false);
    }

    private Task WriteAsync()
    {
        while (true)
        {
            long seq;
            lock (_gate)
            {
                if (_wanted == _saved)
                {
                    return Task.CompletedTask;
                }
                seq = _wanted;
            }
            try
            {
                store.SaveCursor(target, seq);
                Error = null;
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                // The samples stay acknowledged in memory; the next position handed over tries again.
                Error = $"saving the cursor failed: {e.GetType().Name}: {e.Message}";
                log.Error(e, "Export {Target}: {Error}", target, Error);
                return Task.CompletedTask;
            }
            lock (_gate)
            {
                _saved = seq;
            }
        }
    }
}
