using Komlogd.Core.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Hosting.Systemd;
using Serilog;

namespace Komlogd.Core.Agent;

/// <summary>
/// Runs the agent as a Generic Host: SIGINT/SIGTERM stop it gracefully, and it runs unchanged as a systemd
/// service (Type=notify works through UseSystemd).
/// </summary>
public static class AgentHost
{
    /// <param name="report">Lines for the person who started the agent (stdout), or null (-q, systemd).</param>
    public static async Task<int> RunAsync(KomlogdConfig config, Serilog.Core.Logger log, Cli.TerminalReport? report, CancellationToken ct)
    {
        // Before the host exists: a second agent is refused with one line, not a host start failure.
        using var agentLock = Control.AgentLock.Acquire(config.ConfigDir);
        foreach (var error in config.PackageErrors)
        {
            log.Error("Package disabled: {Error}", error.ToString());
        }
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Services.AddSerilog(log, dispose: false);
        builder.Services.AddSystemd();
        // AddSystemd notifies (READY=1, STOPPING=1) only when systemd is the agent's parent. A NOTIFY_SOCKET
        // handed down any other way (a test listening on one, a wrapper that did not exec) is honoured too.
        if (!SystemdHelpers.IsSystemdService() && !string.IsNullOrEmpty(Environment.GetEnvironmentVariable("NOTIFY_SOCKET")))
        {
            builder.Services.AddSingleton<ISystemdNotifier, SystemdNotifier>();
            builder.Services.AddSingleton<IHostLifetime, SystemdLifetime>();
        }
        if (report is not null)
        {
            builder.Services.AddSingleton(report);
        }
        builder.Services.Configure<ConsoleLifetimeOptions>(o => o.SuppressStatusMessages = true);
        builder.Services.AddSingleton(config);
        builder.Services.AddSingleton<ILogger>(log);
        builder.Services.AddSingleton(TimeProvider.System);
        builder.Services.AddSingleton(new Supervision.SupervisionOptions());
        // Children get the whole stop timeout, plus time to flush: the host must not cut the stop short.
        builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = TimeSpan.FromSeconds(30));
        builder.Services.AddHostedService<AgentService>();
        using var host = builder.Build();
        await host.RunAsync(ct).ConfigureAwait(false);
        log.Information("Agent stopped");
        report?.Line("komlogd stopped");
        return ExitCodes.Ok;
    }
}
