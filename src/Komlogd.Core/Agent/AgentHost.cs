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
        builder.Services.AddHostedService<AgentService>();
        using var host = builder.Build();
        await host.RunAsync(ct).ConfigureAwait(false);
        log.Information("Agent stopped");
        return ExitCodes.Ok;
    }
}
