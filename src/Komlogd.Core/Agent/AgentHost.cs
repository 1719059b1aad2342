using Komlogd.Core.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Serilog;

namespace Komlogd.Core.Agent;

/// <summary>
/// Runs the agent as a Generic Host: SIGINT/SIGTERM stop it gracefully, and it runs unchanged as a systemd
/// service (Type=notify works through UseSystemd).
/// </summary>
public static class AgentHost
{
    public static async Task<int> RunAsync(KomlogdConfig config, Serilog.Core.Logger log, CancellationToken ct)
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
        return ExitCodes.Ok;
    }
}
