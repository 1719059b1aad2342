using System.Reflection;
using Komlogd.Sdk;
using Komlogd.Sdk.Hosting;
using StreamJsonRpc;

namespace Komlogd.PluginHost;

/// <summary>
/// The host's side of the protocol (docs/protocol.md): loads the venv's packages when asked, answers
/// pings, unloads on shutdown. Package code never runs on the RPC loop: StreamJsonRpc runs a handler's
/// synchronous part before reading the next message, so a package hanging in its entry point would stop
/// pings (DESIGN.md).
/// </summary>
internal sealed class HostServer
{
    private readonly CancellationTokenSource _stopping = new();
    private readonly List<IKomlogdPackage> _loaded = [];
    private readonly IAgentChannel _agent;
    private readonly HostRuntime _runtime;
    private readonly TransferScheduler _scheduler;
    private int _initialized;

    public HostServer(IAgentChannel agent, TimeProvider time)
    {
        _agent = agent;
        HostLog = new RpcLog(agent.LogAsync, null);
        _runtime = new HostRuntime(agent);
        _scheduler = new TransferScheduler(agent, _runtime, time, TimeZoneInfo.Local, _stopping.Token);
        _runtime.Scheduler = _scheduler;
        // Before any package code runs: metrics and binds made during load reach this host's runtime.
        KomlogdRuntime.Current = _runtime;
    }

    public IKomlogdLog HostLog { get; }

    [JsonRpcMethod(Methods.Updated)]
    public void OnUpdated(WireSample[] samples) => _scheduler.OnUpdated(samples);

    [JsonRpcMethod(Methods.Initialize)]
    public async Task<InitializeResult> InitializeAsync(InitializeRequest request)
    {
        if (request.ProtocolVersion != Handshake.Version)
        {
            throw new LocalRpcException($"protocol version {request.ProtocolVersion} is not this host's {Handshake.Version}") { ErrorCode = 1 };
        }
        if (Interlocked.Exchange(ref _initialized, 1) != 0)
        {
            throw new LocalRpcException("already initialized") { ErrorCode = 2 };
        }
        return await Task.Run(async () =>
        {
            var result = await LoadAllAsync(request).ConfigureAwait(false);
            // The start is over: written before the agent hears of it (about 1 ms), so the next start of
            // this venv, however this one ends, compiles what this one needed in the background.
            StartupProfile.Save();
            return result;
        }).ConfigureAwait(false);
    }

    [JsonRpcMethod(Methods.Ping)]
    public static long Ping(long value) => value;

    [JsonRpcMethod(Methods.Shutdown)]
    public async Task ShutdownAsync()
    {
        await _stopping.CancelAsync().ConfigureAwait(false);
        // What packages inserted is acknowledged by the agent before the host says it is done.
        await _runtime.FlushAsync(CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(5)).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        foreach (var package in _loaded.OfType<IAsyncDisposable>())
        {
            try
            {
                await package.DisposeAsync().AsTask().WaitAsync(TimeSpan.FromSeconds(5)).ConfigureAwait(false);
            }
            catch (Exception e)
            {
                HostLog.Error($"disposing {package.GetType().Assembly.GetName().Name} failed: {e.Message}", e);
            }
        }
    }

    private async Task<InitializeResult> LoadAllAsync(InitializeRequest request)
    {
        var result = new List<PackageInfo>();
        VenvManifest manifest;
        try
        {
            manifest = VenvManifest.Read(request.EntryAssembly);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or System.Text.Json.JsonException or KeyNotFoundException)
        {
            return new InitializeResult(Environment.ProcessId, [new PackageInfo("(venv)", "", $"cannot read the venv's deps.json: {e.Message}")]);
        }
        if (SdkTooNew(manifest.SdkVersion) is { } sdkError)
        {
            return new InitializeResult(Environment.ProcessId, [new PackageInfo("Komlogd.Sdk", manifest.SdkVersion ?? "", sdkError)]);
        }
        var alc = new VenvLoadContext(request.EntryAssembly);
        foreach (var package in manifest.Packages)
        {
            result.Add(await LoadAsync(alc, request.Venv, package).ConfigureAwait(false));
        }
        if (result.Count == 0)
        {
            result.Add(new PackageInfo("(venv)", "", "no package in this venv declares [assembly: KomlogdPackage(typeof(...))]"));
        }
        return new InitializeResult(Environment.ProcessId, result);
    }

    private async Task<PackageInfo> LoadAsync(VenvLoadContext alc, string venv, VenvPackage package)
    {
        var entryPoints = new List<(Assembly Assembly, Type Type)>();
        foreach (var name in package.Assemblies)
        {
            Assembly assembly;
            try
            {
                assembly = alc.LoadFromAssemblyName(new AssemblyName(name));
            }
            catch (Exception e) when (e is FileNotFoundException or FileLoadException or BadImageFormatException)
            {
                return new PackageInfo(package.Id, package.Version, $"cannot load {name}: {e.Message}");
            }
            entryPoints.AddRange(assembly.GetCustomAttributes<KomlogdPackageAttribute>().Select(a => (assembly, a.EntryPoint)));
        }
        if (entryPoints.Count == 0)
        {
            return new PackageInfo(package.Id, package.Version, "declares no entry point: add [assembly: KomlogdPackage(typeof(Load))]");
        }
        foreach (var (assembly, type) in entryPoints)
        {
            try
            {
                if (Activator.CreateInstance(type) is not IKomlogdPackage instance)
                {
                    return new PackageInfo(package.Id, package.Version, $"entry point {type.FullName} does not implement IKomlogdPackage");
                }
                var context = new PackageContext(venv, package.Id, new RpcLog(_agent.LogAsync, package.Id), _stopping.Token);
                var declared = TransferMethodDiscovery.Find(assembly, instance);
                await instance.LoadAsync(context, _stopping.Token).ConfigureAwait(false);
                _loaded.Add(instance);
                foreach (var method in declared)
                {
                    await _scheduler.AddAsync(method, package.Id).ConfigureAwait(false);
                }
            }
            catch (Exception e)
            {
                var inner = e is TargetInvocationException { InnerException: { } i } ? i : e;
                HostLog.Error($"{package.Id}: load failed", inner);
                return new PackageInfo(package.Id, package.Version, $"{inner.GetType().Name}: {FirstLine(inner.Message)}");
            }
        }
        return new PackageInfo(package.Id, package.Version, null);
    }

    private static string? SdkTooNew(string? venvSdk)
    {
        var host = SharedSdkVersion;
        if (venvSdk is null || !Version.TryParse(venvSdk.Split('-', '+')[0], out var v) || !Version.TryParse(host, out var h))
        {
            return null;
        }
        return v.Major > h.Major || (v.Major == h.Major && v.Minor > h.Minor)
            ? $"packages here are built against Komlogd.Sdk {venvSdk}, newer than this agent's {host}; upgrade komlogd or pin an older package"
            : null;
    }

    private static string SharedSdkVersion =>
        (VenvLoadContext.SharedSdk.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "0.0.0").Split('+')[0];

    internal static string FirstLine(string text) => text.Split('\n', 2)[0].TrimEnd('\r');
}
