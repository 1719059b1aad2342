using System.Globalization;
using System.Net;
using Komlogd.Core.Control;
using Komlogd.Core.Store;
using Komlogd.Core.Supervision;
using Komlogd.Protocol.Control;
using Prometheus;
using Serilog;

namespace Komlogd.Core.Export;

/// <summary>
/// One <c>prometheus_listen</c> block: <c>/metrics</c> in the text exposition format, written by
/// prometheus-net (its HttpListener server, its registry). Each scrape reads the newest value of every
/// datapoint the block includes straight from the store (<see cref="SampleStore.ReadLatest"/>: one index
/// seek per uri), so it is never behind and keeps no state to lose; and the agent's health from its status.
/// </summary>
internal sealed class MetricsEndpoint : IExporter
{
    private static readonly string[] VenvStates = Enum.GetNames<VenvState>();
    private static readonly string[] ExportStates = Enum.GetNames<ExportState>();

    private readonly SampleStore _store;
    private readonly Func<AgentStatus?>? _health;
    private readonly ILogger _log;
    private readonly UriFilter _filter;
    private readonly MetricServer _server;
    private readonly IMetricFactory _factory;
    private readonly Dictionary<string, Gauge?> _families = new(StringComparer.Ordinal);
    private readonly string[] _labelNames;
    private readonly Lock _gate = new();

    private readonly Gauge _venvState;
    private readonly Gauge _venvRestarts;
    private readonly Gauge _storeBytes;
    private readonly Counter _committed;
    private readonly Gauge _exportState;
    private readonly Gauge _exportLagSamples;
    private readonly Gauge _exportLagSeconds;
    private readonly Counter _exportSent;
    private readonly Counter _exportDropped;
    private readonly Counter _exportRefused;
    private HashSet<string> _venvs = [];
    private HashSet<string> _exports = [];

    private long _served;
    private string? _lastError;

    /// <exception cref="KomlogdException">The address cannot be listened on (taken, not this machine's): the block cannot start.</exception>
    public MetricsEndpoint(ExportBlock block, SampleStore store, Func<AgentStatus?>? health, ILogger log)
    {
        Block = block;
        _store = store;
        _health = health;
        _log = log.ForContext("Export", block.Target);
        _filter = new UriFilter(block.Include, block.Exclude);
        _labelNames = [SeriesNames.UriLabel, .. block.Labels.Select(l => l.Key)];
        var registry = Metrics.NewCustomRegistry();
        _factory = Metrics.WithCustomRegistry(registry);
        _venvState = _factory.CreateGauge("komlogd_venv_state", "1 for the state each venv is in, 0 for the others", ["venv", "state"]);
        _venvRestarts = _factory.CreateGauge("komlogd_venv_restarts", "Children of the venv started after the first", ["venv"]);
        _storeBytes = _factory.CreateGauge("komlogd_store_bytes", "Size of the store's files (database and WAL)");
        _committed = _factory.CreateCounter("komlogd_samples_committed_total", "Samples committed to the store since the agent started");
        _exportState = _factory.CreateGauge("komlogd_export_state", "1 for the state each export block is in, 0 for the others", ["export", "state"]);
        _exportLagSamples = _factory.CreateGauge("komlogd_export_lag_samples", "Samples committed and not yet delivered by the export block", ["export"]);
        _exportLagSeconds = _factory.CreateGauge("komlogd_export_lag_seconds", "How long the oldest sample not yet delivered has waited", ["export"]);
        _exportSent = _factory.CreateCounter("komlogd_export_sent_total", "Samples the export block delivered since the agent started", ["export"]);
        _exportDropped = _factory.CreateCounter("komlogd_export_dropped_total", "Samples dropped on a 4xx answer since the agent started", ["export"]);
        _exportRefused = _factory.CreateCounter("komlogd_export_refused_total", "Samples the back end refused as out of order or too old", ["export"]);
        registry.AddBeforeCollectCallback(Refresh);
        _server = new MetricServer(block.ListenHost, block.ListenPort, "metrics/", registry);
        try
        {
            _server.Start();
        }
        catch (Exception e) when (e is HttpListenerException or System.Net.Sockets.SocketException or InvalidOperationException)
        {
            _server.Dispose();
            throw new KomlogdException(block.Error($"cannot listen on {block.ListenHost}:{block.ListenPort}: {e.Message}"));
        }
        _log.Information("Export {Target}: serving /metrics", block.Target);
    }

    public ExportBlock Block { get; }

    public ExportStatusDto Status() =>
        new(Block.Target, "listen", ExportState.Running.ToString(), 0, 0, _lastError, Interlocked.Read(ref _served), 0, 0);

    /// <summary>Before each scrape: the newest datapoints and the agent's health. A failure is logged and shown in status; the scrape still answers.</summary>
    private void Refresh()
    {
        lock (_gate)
        {
            try
            {
                var latest = _store.ReadLatest(SampleType.Datapoint, _filter.Passes);
                foreach (var s in latest.Samples)
                {
                    if (Family(SeriesNames.MetricName(s.Uri)) is { } gauge)
                    {
                        gauge.WithLabels([s.Uri, .. Block.Labels.Select(l => l.Value)]).Set(double.Parse(s.Value, NumberStyles.Float, CultureInfo.InvariantCulture));
                    }
                }
                Interlocked.Add(ref _served, latest.Samples.Count);
                if (_health?.Invoke() is { } health)
                {
                    Health(health);
                }
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                _lastError = $"{e.GetType().Name}: {e.Message}";
                _log.Error(e, "Export {Target}: preparing a scrape failed: {Error}", Block.Target, _lastError);
            }
        }
    }

    /// <summary>The gauge family of a metric name; null when the name is a health metric's (said once in the log).</summary>
    private Gauge? Family(string name)
    {
        if (!_families.TryGetValue(name, out var gauge))
        {
            try
            {
                gauge = _factory.CreateGauge(name, "komlogd datapoint: the newest value of each uri", _labelNames);
            }
            catch (InvalidOperationException e)
            {
                _log.Warning("Export {Target}: datapoints named {Name} are not served: {Error}", Block.Target, name, e.Message);
            }
            _families[name] = gauge;
        }
        return gauge;
    }

    private void Health(AgentStatus health)
    {
        _storeBytes.Set(health.StoreBytes);
        _committed.IncTo(health.SamplesTotal);
        _venvs = Track(health.Venvs, v => v.Name, _venvs, v =>
        {
            OneOf(_venvState, v.Name, VenvStates, v.State);
            _venvRestarts.WithLabels(v.Name).Set(v.Restarts);
        }, gone =>
        {
            Array.ForEach(VenvStates, state => _venvState.RemoveLabelled(gone, state));
            _venvRestarts.RemoveLabelled(gone);
        });
        _exports = Track(health.Exports, x => x.Target, _exports, x =>
        {
            OneOf(_exportState, x.Target, ExportStates, x.State);
            _exportLagSamples.WithLabels(x.Target).Set(x.LagSamples);
            _exportLagSeconds.WithLabels(x.Target).Set(x.LagSeconds);
            _exportSent.WithLabels(x.Target).IncTo(x.Sent);
            _exportDropped.WithLabels(x.Target).IncTo(x.Dropped);
            _exportRefused.WithLabels(x.Target).IncTo(x.Refused);
        }, gone =>
        {
            Array.ForEach(ExportStates, state => _exportState.RemoveLabelled(gone, state));
            _exportLagSamples.RemoveLabelled(gone);
            _exportLagSeconds.RemoveLabelled(gone);
            _exportSent.RemoveLabelled(gone);
            _exportDropped.RemoveLabelled(gone);
            _exportRefused.RemoveLabelled(gone);
        });
    }

    /// <summary>An enum as a gauge family: 1 for the current state, 0 for the others (how Prometheus exporters show states).</summary>
    private static void OneOf(Gauge family, string name, string[] states, string current)
    {
        foreach (var state in states)
        {
            family.WithLabels(name, state).Set(state == current ? 1 : 0);
        }
    }

    /// <summary>Sets the series of each item, and removes those of items gone since the last scrape (a removed venv or block).</summary>
    private static HashSet<string> Track<T>(IEnumerable<T> items, Func<T, string> name, HashSet<string> before, Action<T> set, Action<string> remove)
    {
        var now = new HashSet<string>(StringComparer.Ordinal);
        foreach (var item in items)
        {
            now.Add(name(item));
            set(item);
        }
        foreach (var gone in before.Except(now))
        {
            remove(gone);
        }
        return now;
    }

    /// <summary>
    /// Stops serving. prometheus-net stops its HttpListener with Stop then Close; on Linux the second removes
    /// the prefixes again by binding the port, which throws when another socket holds the port by then. The
    /// endpoint is stopped either way, so that is logged, never thrown into a reload or the agent's stop.
    /// </summary>
    public async ValueTask DisposeAsync()
    {
        try
        {
            await _server.StopAsync().ConfigureAwait(false);
        }
        catch (HttpListenerException e)
        {
            _log.Warning("Export {Target}: closing the listener: {Error}", Block.Target, e.Message);
        }
        _server.Dispose();
    }
}
