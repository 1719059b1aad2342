using System.Runtime.InteropServices;
using Komlogd.Core.Cli;
using Komlogd.Core.Configuration;
using Komlogd.Core.Control;
using Komlogd.Core.Export;
using Komlogd.Core.Installation;
using Komlogd.Core.Store;
using Komlogd.Core.Supervision;
using Komlogd.Protocol.Runtime;
using Serilog;

namespace Komlogd.Core.Agent;

/// <summary>
/// The running agent. Starts in order (store, control socket, export blocks, venvs; the lock is taken
/// before, in AgentHost) and stops in reverse (venvs first, so children flush their samples into a store
/// that is still open; export blocks before the store, their cursors saved). Exports start before venvs so
/// a new block's first cursor comes before the first sample a package writes. <see cref="ReloadAsync"/> (komlogd reload, SIGHUP) re-reads the configuration and changes
/// only what changed, as <c>supervisorctl update</c>.
/// </summary>
internal sealed class AgentService(KomlogdConfig config, SupervisionOptions options, TimeProvider time, ILogger log, TerminalReport? report = null) : IAsyncDisposable
{
    private readonly SemaphoreSlim _reload = new(1, 1);
    private KomlogdConfig _config = config;
    private SampleStore? _store;
    private ControlServer? _control;
    private Supervisor? _supervisor;
    private ExportManager? _exports;
    private PosixSignalRegistration? _hangup;

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        _store = SampleStore.Open(_config.StoreFile, _config.Username);
        MigrateKpackUris(_store);
        var hub = new SampleHub(_store, time);
        hub.StoreErrorChanged += error =>
        {
            if (error is null)
            {
                log.Information("Store writes again");
            }
            else
            {
                log.Error("Store failing: {Error}; samples are refused until a write succeeds", error);
            }
        };
        _supervisor = new Supervisor(new PluginHostLauncher(log, hub), options, time, log);
        if (report is not null)
        {
            _supervisor.VenvChanged += report.VenvChanged;
        }
        // The exports take their starting point (from: now) before the control socket lets any client write: a
        // sample a client sends as soon as the socket answers is one they export (ExportAgentTests).
        _exports = new ExportManager(_store, time, log) { Health = () => _control?.Status() };
        await _exports.ApplyAsync(_config).ConfigureAwait(false);
        _control = new ControlServer(_config.SocketFile, _config.File, hub, _supervisor, time, log) { Reload = ReloadAsync, Exports = _exports.Statuses };
        log.Information("Agent running: pid {Pid}, config {Config}, {Packages} package block(s)",
            Environment.ProcessId, _config.File, _config.Packages.Count);
        var venvs = VenvPlanner.Plan(_config).Select(p => p.Name).ToList();
        report?.Line($"komlogd {BuildInfo.Version} running: pid {Environment.ProcessId}, config {_config.File}, "
            + $"venvs: {(venvs.Count == 0 ? "none" : string.Join(", ", venvs))}; log {_config.LogFile}; "
            + (report.IsTerminal ? "Ctrl-C stops it" : $"stop it with kill -TERM {Environment.ProcessId}"));
        _hangup = PosixSignalRegistration.Create(PosixSignal.SIGHUP, context =>
        {
            context.Cancel = true;
            _ = Task.Run(async () =>
            {
                try
                {
                    await ReloadAsync(CancellationToken.None).ConfigureAwait(false);
                }
                catch (KomlogdException e)
                {
                    log.Error("Reload refused: {Error}", e.Message);
                }
                catch (Exception e)
                {
                    log.Error(e, "Reload failed: {Error}", e.Message);
                }
            });
        });
        await ApplyAsync(_supervisor, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Store migration 4 (docs/store.md): before any package runs, so kpack_linux writes its new uris into a
    /// store whose history already moved there.
    /// </summary>
    private void MigrateKpackUris(SampleStore store)
    {
        var hosts = KpackUriMigration.KnownHosts(Environment.GetEnvironmentVariable, Environment.MachineName);
        if (KpackUriMigration.Apply(store, hosts) is not { } renames)
        {
            return;
        }
        foreach (var r in renames)
        {
            log.Debug("Store migration {Version}: {From} -> {To}{Merged}", KpackUriMigration.Version, r.From, r.To, r.Merged ? " (merged)" : "");
        }
        log.Information("Store migration {Version} applied: {Count} kpack_linux uri(s) moved to the original's names (hosts known: {Hosts})",
            KpackUriMigration.Version, renames.Count, string.Join(", ", hosts));
    }

    /// <summary>
    /// Re-reads komlogd.yaml: stops venvs no block uses any more, installs what changed, restarts venvs
    /// whose install changed and starts new ones; leaves the rest running. A configuration with a mistake
    /// changes nothing.
    /// </summary>
    /// <returns>One line per venv that changed.</returns>
    public async Task<IReadOnlyList<string>> ReloadAsync(CancellationToken cancellationToken)
    {
        await _reload.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var fresh = ConfigProcess.Load(_config.File);
            foreach (var error in fresh.PackageErrors)
            {
                log.Error("Package disabled: {Error}", error.ToString());
            }
            _config = fresh;
            log.Information("Reloading {Config}", fresh.File);
            var exports = await _exports!.ApplyAsync(fresh).ConfigureAwait(false);
            return [.. await ApplyAsync(_supervisor!, cancellationToken).ConfigureAwait(false), .. exports];
        }
        finally
        {
            _reload.Release();
        }
    }

    /// <summary>
    /// Brings the supervised venvs in line with the configuration. A venv whose reinstall failed keeps
    /// running its previous good install (the installer swaps only a complete one).
    /// </summary>
    private async Task<IReadOnlyList<string>> ApplyAsync(Supervisor supervisor, CancellationToken cancellationToken)
    {
        var changes = new List<string>();
        var planned = VenvPlanner.Plan(_config).Select(p => p.Name).ToHashSet(StringComparer.Ordinal);
        // Stop before the installer removes their directories.
        foreach (var gone in supervisor.Venvs.Where(v => !planned.Contains(v.Venv)).ToList())
        {
            await supervisor.RemoveAsync(gone.Venv).ConfigureAwait(false);
            changes.Add($"{gone.Venv}: removed");
        }
        // Nothing to build (a restart): checked here, as cheaply as the installer would. Anything to build:
        // in a child, whose memory ends with it (InstallerProcess).
        var progress = new LogProgress(log, report);
        var results = VenvInstaller.AllUpToDate(_config)
            ? await new VenvInstaller(log).InstallAsync(_config, null, progress, cancellationToken).ConfigureAwait(false)
            : await InstallerProcess.RunAsync(_config.File, progress, log, cancellationToken).ConfigureAwait(false);
        foreach (var venv in results)
        {
            var venvLog = log.ForContext("Venv", venv.Name);
            if (venv.Outcome == VenvInstallOutcome.Failed)
            {
                venvLog.Error("Install failed: {Error}", venv.Error);
                changes.Add($"{venv.Name}: install failed: {venv.Error}");
                if (!venv.IsUsable)
                {
                    continue;
                }
                venvLog.Warning("Running the previous install");
            }
            var running = supervisor.Find(venv.Name);
            if (running is not null && venv.Outcome != VenvInstallOutcome.Installed)
            {
                continue;
            }
            if (running is not null)
            {
                await supervisor.RemoveAsync(venv.Name).ConfigureAwait(false);
                changes.Add($"{venv.Name}: reinstalled, restarted");
            }
            else
            {
                changes.Add($"{venv.Name}: added");
            }
            await supervisor.AddAsync(venv.Name, venv.EntryAssembly).ConfigureAwait(false);
        }
        // A start or a reload has compiled the agent's paths (configuration, store, children's channels):
        // what the compiler freed, glibc would keep (NativeHeap).
        NativeHeap.Trim();
        return changes;
    }

    /// <summary>Install progress lines into the log, and to the terminal when there is a report.</summary>
    private sealed class LogProgress(ILogger log, TerminalReport? report) : IProgress<string>
    {
        public void Report(string value)
        {
            if (!value.EndsWith(VenvInstaller.InstallingSuffix, StringComparison.Ordinal))
            {
                log.Information("Install: {Line}", value);
            }
            report?.Report(value);
        }
    }

    /// <summary>Stops every venv (each within its own stop timeout: shutdown, SIGTERM, SIGKILL), then the rest.</summary>
    public async Task StopAsync()
    {
        log.Information("Agent stopping");
        report?.Line("komlogd stopping: venvs first, then the store");
        _hangup?.Dispose();
        if (_supervisor is not null)
        {
            await _supervisor.StopAllAsync().ConfigureAwait(false);
        }
    }

    public async ValueTask DisposeAsync()
    {
        _hangup?.Dispose();
        if (_supervisor is not null)
        {
            await _supervisor.DisposeAsync().ConfigureAwait(false);
        }
        if (_control is not null)
        {
            await _control.DisposeAsync().ConfigureAwait(false);
        }
        if (_exports is not null)
        {
            await _exports.DisposeAsync().ConfigureAwait(false);
        }
        _store?.Dispose();
        _reload.Dispose();
    }
}
