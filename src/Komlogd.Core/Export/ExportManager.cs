using Komlogd.Core.Configuration;
using Komlogd.Core.Control;
using Komlogd.Core.Store;
using Komlogd.Protocol.Control;
using Serilog;

namespace Komlogd.Core.Export;

/// <summary>
/// Every export block of the configuration. <see cref="ApplyAsync"/> (agent start, <c>komlogd reload</c>)
/// starts added blocks, restarts changed ones and stops removed ones; a block whose target stays the same
/// keeps its cursor across all of it, since the cursor lives in the store. A block with a mistake, or one
/// that cannot start, is shown Disabled with the one line that says why; the others run.
/// </summary>
public sealed class ExportManager(SampleStore store, TimeProvider time, ILogger log) : IAsyncDisposable
{
    private readonly Lock _gate = new();
    private readonly List<IExporter> _running = [];
    private List<(int Block, ExportStatusDto Status)> _disabled = [];

    /// <summary>The agent's status, for the health series of /metrics; set by the agent.</summary>
    public Func<AgentStatus?>? Health { get; set; }

    /// <returns>One line per block that changed.</returns>
    public async Task<IReadOnlyList<string>> ApplyAsync(KomlogdConfig config)
    {
        var changes = new List<string>();
        var disabled = new List<(int, ExportStatusDto)>();
        foreach (var error in config.ExportErrors)
        {
            log.Error("Export disabled: {Error}", error.ToString());
            disabled.Add((error.Block ?? 0, Disabled($"block {error.Block}", "export", error.ToString())));
            changes.Add($"export block {error.Block}: disabled: {error}");
        }
        var wanted = config.Exports.ToDictionary(b => b.Target, StringComparer.Ordinal);
        List<IExporter> running;
        lock (_gate)
        {
            running = [.. _running];
        }
        foreach (var exporter in running)
        {
            var target = exporter.Block.Target;
            if (wanted.TryGetValue(target, out var block) && block.Settings == exporter.Block.Settings)
            {
                wanted.Remove(target);
                continue;
            }
            lock (_gate)
            {
                _running.Remove(exporter);
            }
            await exporter.DisposeAsync().ConfigureAwait(false);
            log.Information("Export {Target}: stopped ({Why})", target, wanted.ContainsKey(target) ? "changed" : "removed");
            if (!wanted.ContainsKey(target))
            {
                changes.Add($"export {target}: removed");
            }
        }
        foreach (var block in config.Exports.Where(b => wanted.ContainsKey(b.Target)))
        {
            var restarted = running.Any(r => r.Block.Target == block.Target);
            try
            {
                var exporter = Start(block);
                lock (_gate)
                {
                    _running.Add(exporter);
                }
                changes.Add($"export {block.Target}: {(restarted ? "changed, restarted" : "added")}");
            }
            catch (KomlogdException e)
            {
                log.Error("Export disabled: {Error}", e.Message);
                disabled.Add((block.Block, Disabled(block.Target, Kind(block.Kind), e.Message)));
                changes.Add($"export {block.Target}: disabled: {e.Message}");
            }
        }
        lock (_gate)
        {
            _disabled = disabled;
        }
        return changes;
    }

    private IExporter Start(ExportBlock block) => block.Kind switch
    {
        ExportKind.RemoteWrite => new RemoteWriteExporter(block, store, time, log),
        _ => new MetricsEndpoint(block, store, Health, log),
    };

    private static string Kind(ExportKind kind) => kind == ExportKind.RemoteWrite ? "remote_write" : "listen";

    private static ExportStatusDto Disabled(string target, string kind, string error) =>
        new(target, kind, ExportState.Disabled.ToString(), 0, 0, error, 0, 0, 0);

    /// <summary>Every block, running or disabled, in configuration order.</summary>
    public IReadOnlyList<ExportStatusDto> Statuses()
    {
        List<IExporter> running;
        List<(int Block, ExportStatusDto Status)> disabled;
        lock (_gate)
        {
            running = [.. _running];
            disabled = _disabled;
        }
        return [.. running.Select(r => (r.Block.Block, Status: r.Status())).Concat(disabled).OrderBy(x => x.Item1).Select(x => x.Status)];
    }

    public async ValueTask DisposeAsync()
    {
        List<IExporter> running;
        lock (_gate)
        {
            running = [.. _running];
            _running.Clear();
        }
        var errors = new List<Exception>();
        foreach (var exporter in running)
        {
            try
            {
                await exporter.DisposeAsync().ConfigureAwait(false);
            }
            catch (Exception e)
            {
                errors.Add(e);
            }
        }
        if (errors.Count > 0)
        {
            throw new AggregateException("stopping export blocks failed", errors);
        }
    }
}
