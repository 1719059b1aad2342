using Komlogd.Core.DataPath;
using Komlogd.Core.Store;
using Serilog;

namespace Komlogd.Core.Supervision;

/// <summary>Starts real Komlogd.PluginHost children from the agent's own directory, each served by an <see cref="AgentServer"/>.</summary>
public sealed class PluginHostLauncher(ILogger log, SampleHub? hub = null, string? hostDll = null) : IChildLauncher
{
    public string HostDll { get; } = hostDll ?? DefaultHostDll(AppContext.BaseDirectory);

    /// <summary>
    /// The host an agent installed in <paramref name="agentDir"/> starts: the copy in host/ that the build
    /// publishes (Komlogd.Core.csproj, target PublishPluginHost; ReadyToRun unless built with
    /// -p:KomlogdHostReadyToRun=false), else a portable assembly beside the agent.
    /// </summary>
    public static string DefaultHostDll(string agentDir)
    {
        var published = Path.Combine(agentDir, "host", "Komlogd.PluginHost.dll");
        return File.Exists(published) ? published : Path.Combine(agentDir, "Komlogd.PluginHost.dll");
    }

    public IChild Launch(string venv, string entryAssembly) =>
        PluginHostChild.Start(venv, entryAssembly, HostDll, log, (rpc, childLog) => new AgentServer(childLog, hub, rpc));
}
