using Komlogd.Core.DataPath;
using Komlogd.Core.Store;
using Serilog;

namespace Komlogd.Core.Supervision;

/// <summary>Starts real Komlogd.PluginHost children from the agent's own directory, each served by an <see cref="AgentServer"/>.</summary>
public sealed class PluginHostLauncher(ILogger log, SampleHub? hub = null, string? hostDll = null) : IChildLauncher
{
    private bool? _jitProfiles;

    public string HostDll { get; } = hostDll ?? DefaultHostDll(AppContext.BaseDirectory);

    /// <summary>
    /// Whether children keep a start-up JIT profile per venv (docs/protocol.md, "Start-up JIT profile"): only
    /// when the host is IL (the tool package's portable host), whose start compiles every method. A
    /// ReadyToRun host starts within 5–10 % as fast without one, and replaying it kept 0.75 MiB more in every
    /// child (docs/benchmarks.md, "The host's own channel").
    /// </summary>
    public bool JitProfiles => _jitProfiles ??= !IsReadyToRun(HostDll);

    /// <summary>True when <paramref name="assembly"/> carries precompiled (ReadyToRun) code.</summary>
    public static bool IsReadyToRun(string assembly)
    {
        try
        {
            using var pe = new System.Reflection.PortableExecutable.PEReader(File.OpenRead(assembly));
            return pe.PEHeaders.CorHeader?.ManagedNativeHeaderDirectory.Size > 0;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or BadImageFormatException)
        {
            return false;
        }
    }

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
        PluginHostChild.Start(venv, entryAssembly, HostDll, JitProfiles, log, (rpc, childLog) => new AgentServer(childLog, hub, rpc));
}
