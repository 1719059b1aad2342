using Komlogd.Core.Configuration;
using Komlogd.Core.Store;
using Microsoft.Extensions.Hosting;
using Serilog;

namespace Komlogd.Core.Agent;

/// <summary>The running agent: owns the store; later the supervisor and the control socket.</summary>
internal sealed class AgentService(KomlogdConfig config, ILogger log) : IHostedService, IDisposable
{
    private SampleStore? _store;

    public Task StartAsync(CancellationToken cancellationToken)
    {
        _store = SampleStore.Open(config.StoreFile);
        log.Information("Agent running: pid {Pid}, config {Config}, {Packages} package block(s)",
            Environment.ProcessId, config.File, config.Packages.Count);
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken)
    {
        log.Information("Agent stopping");
        return Task.CompletedTask;
    }

    public void Dispose() => _store?.Dispose();
}
