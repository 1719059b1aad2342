using Komlogd.Core.Configuration;
using Komlogd.Core.Control;
using Komlogd.Core.Store;
using Komlogd.Core.Supervision;
using Microsoft.Extensions.Hosting;
using Serilog;

namespace Komlogd.Core.Agent;

/// <summary>
/// The running agent. Starts in order (store, control socket, venvs; the lock is taken before, in AgentHost) and stops in reverse (venvs
/// first, so children flush their samples into a store that is still open).
/// </summary>
internal sealed class AgentService(KomlogdConfig config, SupervisionOptions options, TimeProvider time, ILogger log) : IHostedService, IAsyncDisposable
{
    private SampleStore? _store;
    private ControlServer? _control;
    private Supervisor? _supervisor;

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        _store = SampleStore.Open(config.StoreFile);
        var hub = new SampleHub(_store);
        _supervisor = new Supervisor(new PluginHostLauncher(log, hub), options, time, log);
        _control = new ControlServer(config.SocketFile, config.File, hub, _supervisor, time, log);
        log.Information("Agent running: pid {Pid}, config {Config}, {Packages} package block(s)",
            Environment.ProcessId, config.File, config.Packages.Count);
        await StartVenvsAsync(_supervisor, cancellationToken).ConfigureAwait(false);
    }

    private static Task StartVenvsAsync(Supervisor supervisor, CancellationToken cancellationToken)
    {
        _ = supervisor;
        _ = cancellationToken;
        return Task.CompletedTask;
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        log.Information("Agent stopping");
        if (_supervisor is not null)
        {
            await _supervisor.StopAllAsync().ConfigureAwait(false);
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_supervisor is not null)
        {
            await _supervisor.DisposeAsync().ConfigureAwait(false);
        }
        if (_control is not null)
        {
            await _control.DisposeAsync().ConfigureAwait(false);
        }
        _store?.Dispose();
    }
}
