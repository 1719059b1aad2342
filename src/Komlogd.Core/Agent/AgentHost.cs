using System.Runtime.InteropServices;
using Komlogd.Core.Configuration;
using Microsoft.Extensions.Hosting.Systemd;
using Serilog;

namespace Komlogd.Core.Agent;

/// <summary>
/// Runs the agent until SIGINT, SIGTERM or SIGQUIT (or <c>ct</c>), then stops it gracefully; as a systemd
/// service (Type=notify) it says READY=1 when it runs and STOPPING=1 when it stops.
/// </summary>
/// <remarks>
/// Not the Generic Host, which ran it until 2026-12-02: for one service with no dependency injection,
/// configuration or M.E.Logging, it loaded about 17 Microsoft.Extensions assemblies into every running agent
/// (about 1.2 MiB of mapped files, their types and JIT-compiled generics; docs/benchmarks.md, "The agent's
/// channels"). What it did for the agent is here: the signals its console and systemd lifetimes handled, a
/// start cancelled by them, and systemd's notifications through the same <see cref="SystemdNotifier"/>. The
/// stop needs no timeout of its own: each venv's stop is bounded by the supervisor (shutdown, SIGTERM,
/// SIGKILL), and the host's 30 s only ever cancelled a token the stop did not read.
/// </remarks>
public static class AgentHost
{
    /// <param name="report">Lines for the person who started the agent (stdout), or null (-q, systemd).</param>
    public static async Task<int> RunAsync(KomlogdConfig config, Serilog.Core.Logger log, Cli.TerminalReport? report, CancellationToken ct)
    {
        // Before anything starts: a second agent is refused with one line.
        using var agentLock = Control.AgentLock.Acquire(config.ConfigDir);
        foreach (var error in config.PackageErrors)
        {
            log.Error("Package disabled: {Error}", error.ToString());
        }
        // Registered before the start, which a signal cancels: a first boot's installs (minutes) end at once.
        using var stop = new Supervision.SignalStop(ct, PosixSignal.SIGINT, PosixSignal.SIGTERM, PosixSignal.SIGQUIT);
        // NOTIFY_SOCKET, whoever handed it down: systemd as the parent, or a wrapper that did not exec.
        var systemd = new SystemdNotifier();
        await using (var service = new AgentService(config, new Supervision.SupervisionOptions(), TimeProvider.System, log, report))
        {
            try
            {
                await service.StartAsync(stop.Token).ConfigureAwait(false);
                if (systemd.IsEnabled)
                {
                    systemd.Notify(ServiceState.Ready);
                }
            }
            catch (OperationCanceledException) when (stop.IsCancellationRequested)
            {
                log.Information("Start cancelled by a stop request");
            }
            await Task.Delay(Timeout.Infinite, stop.Token).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            if (systemd.IsEnabled)
            {
                systemd.Notify(ServiceState.Stopping);
            }
            await service.StopAsync().ConfigureAwait(false);
        }
        log.Information("Agent stopped");
        report?.Line("komlogd stopped");
        return ExitCodes.Ok;
    }
}
