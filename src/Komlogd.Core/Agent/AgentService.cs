using Komlogd.Core.Configuration;
using Komlogd.Core.Control;
using Komlogd.Core.Installation;
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

    /// <summary>
    /// Installs what changed, then supervises every venv that has a usable install. A venv whose reinstall
    /// failed keeps running its previous good install (the installer swaps only a complete one).
    /// </summary>
    private async Task StartVenvsAsync(Supervisor supervisor, CancellationToken cancellationToken)
    {
        var progress = new LogProgress(log);
        var results = await new VenvInstaller(log).InstallAsync(config, null, progress, cancellationToken).ConfigureAwait(false);
        foreach (var venv in results)
        {
            if (venv.Outcome == VenvInstallOutcome.Failed)
            {
                log.ForContext("Venv", venv.Name).Error("Install failed: {Error}", venv.Error);
                if (!venv.IsUsable)
                {
                    continue;
                }
                log.ForContext("Venv", venv.Name).Warning("Running the previous install");
            }
            await supervisor.AddAsync(venv.Name, venv.EntryAssembly).ConfigureAwait(false);
        }
    }

    /// <summary>Install progress lines into the log (the agent has no terminal to redraw).</summary>
    private sealed class LogProgress(ILogger log) : IProgress<string>
    {
        public void Report(string value)
        {
            if (!value.EndsWith(VenvInstaller.InstallingSuffix, StringComparison.Ordinal))
            {
                log.Information("Install: {Line}", value);
            }
        }
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
