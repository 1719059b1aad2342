using System.Reflection;
using Komlogd.Protocol.Channel;
using Komlogd.Protocol;
using Komlogd.Protocol.Runtime;
using Komlogd.Protocol.Venvs;
using Komlogd.Sdk;
using Komlogd.Sdk.Hosting;

namespace Komlogd.PluginHost;

/// <summary>
/// The host's side of the protocol (docs/protocol.md): loads the venv's packages when asked, answers
/// pings, unloads on shutdown. Package code never runs on the RPC loop: the channel runs a handler's
/// synchronous part before reading the next message, so a package hanging in its entry point would stop
/// pings (docs/design.md).
/// </summary>
internal sealed class HostServer : IRpcTarget
{
    private readonly CancellationTokenSource _stopping = new();
    private readonly List<IKomlogdPackage> _loaded = [];
    private readonly IAgentChannel _agent;
    private readonly HostRuntime _runtime;
    private int _initialized;
    private readonly Lock _shutdownGate = new();
    private Task? _shutdown;

    public HostServer(IAgentChannel agent, TimeProvider time)
    {
        _agent = agent;
        HostLog = new RpcLog(agent.LogAsync, null);
        _runtime = new HostRuntime(agent, time, TimeZoneInfo.Local, _stopping.Token);
        // Before any package code runs: metrics and binds made during load reach this host's runtime.
        KomlogdRuntime.Current = _runtime;
    }

    public IKomlogdLog HostLog { get; }

    /// <summary>The agent's calls (docs/protocol.md), on the channel's reader thread in the order they came.</summary>
    public Task<RpcResult>? Invoke(string method, RpcArgs args)
    {
        switch (method)
        {
            case HostMethods.Ping:
                return Task.FromResult(RpcResult.Of(Ping(args.Get(0, HostWire.Int64)), HostWire.Int64));
            case HostMethods.Updated:
                OnUpdated(args.Get(0, HostWire.WireSamples), args.GetOptional(1, HostWire.String));
                return Task.FromResult(RpcResult.Null);
            case HostMethods.Runs:
                return Task.FromResult(RpcResult.Of(Runs(), HostWire.RunStats));
            case HostMethods.Initialize:
                var request = args.Get(0, HostWire.InitializeRequest);
                return Answer(InitializeAsync(request), HostWire.InitializeResult);
            case HostMethods.Shutdown:
                return Answer(ShutdownAsync());
            default:
                return null;
        }
    }

    private static async Task<RpcResult> Answer<T>(Task<T> call, WireCodec<T> codec) =>
        RpcResult.Of(await call.ConfigureAwait(false), codec);

    private static async Task<RpcResult> Answer(Task call)
    {
        await call.ConfigureAwait(false);
        return RpcResult.Null;
    }

    public void OnUpdated(WireSample[] samples, string? run = null) => _runtime.Scheduler.OnUpdated(samples, run);

    /// <summary>Synchronous: answered after every update that came before it on the channel was taken.</summary>
    public RunStats Runs() => _runtime.Scheduler.Stats;

    public async Task<InitializeResult> InitializeAsync(InitializeRequest request)
    {
        if (request.ProtocolVersion != Handshake.Version)
        {
            throw new RpcErrorException(ErrorCodes.ProtocolMismatch, $"protocol version {request.ProtocolVersion} is not this host's {Handshake.Version}");
        }
        if (Interlocked.Exchange(ref _initialized, 1) != 0)
        {
            throw new RpcErrorException(ErrorCodes.AlreadyInitialized, "already initialized");
        }
        return await Task.Run(async () =>
        {
            var result = await LoadAllAsync(request).ConfigureAwait(false);
            // The start is over: written before the agent hears of it (about 1 ms), so the next start of
            // this venv, however this one ends, compiles what this one needed in the background.
            StartupProfile.Save();
            // What the load's compilation freed, returned beside the answer rather than before it.
            ThreadPool.UnsafeQueueUserWorkItem(static _ => NativeHeap.TrimAfterCompilation(), null);
            return result;
        }).ConfigureAwait(false);
    }

    public static long Ping(long value) => value;

    /// <summary>
    /// The stop, once however many times it is asked for (the agent's request, a signal, both at once): runs
    /// in progress finish or, if they heed the stopping token, are abandoned with nothing committed; what was
    /// committed or inserted is acknowledged by the agent; then packages are disposed.
    /// </summary>
    public Task ShutdownAsync()
    {
        lock (_shutdownGate)
        {
            return _shutdown ??= Task.Run(ShutdownOnceAsync);
        }
    }

    /// <summary>
    /// After SIGINT/SIGTERM: the same stop as the agent's request, then a wait for the agent to close the
    /// channel (it got the same signal, from a terminal or systemd's control-group kill, and asks for this
    /// stop itself); a host signalled alone ends by itself after <see cref="SignalGrace"/>.
    /// </summary>
    public async Task StopOnSignalAsync(Task signal)
    {
        await signal.ConfigureAwait(false);
        HostLog.Info("stop signal received: stopping");
        await ShutdownAsync().ConfigureAwait(false);
        await Task.Delay(SignalGrace).ConfigureAwait(false);
    }

    /// <summary>How long a host stopped by a signal waits for its channel to close before it exits.</summary>
    public static readonly TimeSpan SignalGrace = TimeSpan.FromSeconds(10);

    private async Task ShutdownOnceAsync()
    {
        await _stopping.CancelAsync().ConfigureAwait(false);
        // A run that returned is committed, even as the stop begins (SignalTests: no sample of a finished run lost).
        await _runtime.Scheduler.IdleAsync().WaitAsync(TimeSpan.FromSeconds(5)).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
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
        VenvDeps deps;
        try
        {
            deps = VenvDeps.Read(VenvDeps.FileOf(request.EntryAssembly));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or FormatException)
        {
            return new InitializeResult(Environment.ProcessId, [Permanent("(venv)", "", $"cannot read the venv's deps.json: {e.Message}")]);
        }
        if (SdkTooNew(deps.SdkVersion) is { } sdkError)
        {
            return new InitializeResult(Environment.ProcessId, [Permanent(VenvDeps.SdkId, deps.SdkVersion ?? "", sdkError)]);
        }
        var alc = new VenvLoadContext(request.EntryAssembly);
        foreach (var package in deps.Dependencies.Where(d => d.Id != VenvDeps.SdkId))
        {
            result.Add(await LoadAsync(alc, request.Venv, package).ConfigureAwait(false));
        }
        if (result.Count == 0)
        {
            result.Add(Permanent("(venv)", "", "no package in this venv declares [assembly: KomlogdPackage(typeof(...))]"));
        }
        return new InitializeResult(Environment.ProcessId, result);
    }

    /// <summary>
    /// Loads one package. What is wrong in the installed files (an assembly that cannot load, no entry point,
    /// bad transfer-method declarations) is a permanent error: the agent gives up at once. A package whose
    /// constructor or <c>LoadAsync</c> throws may do better next time (a device not ready yet): not permanent.
    /// </summary>
    private async Task<PackageInfo> LoadAsync(VenvLoadContext alc, string venv, VenvDependency package)
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
                return Permanent(package.Id, package.Version, $"cannot load {name}: {e.Message}");
            }
            entryPoints.AddRange(assembly.GetCustomAttributes<KomlogdPackageAttribute>().Select(a => (assembly, a.EntryPoint)));
        }
        if (entryPoints.Count == 0)
        {
            return Permanent(package.Id, package.Version, "declares no entry point: add [assembly: KomlogdPackage(typeof(Load))]");
        }
        foreach (var (assembly, type) in entryPoints)
        {
            if (!typeof(IKomlogdPackage).IsAssignableFrom(type))
            {
                return Permanent(package.Id, package.Version, $"entry point {type.FullName} does not implement IKomlogdPackage");
            }
            IKomlogdPackage instance;
            IReadOnlyList<TransferMethodInfo> declared;
            try
            {
                instance = (IKomlogdPackage)Activator.CreateInstance(type)!;
                declared = TransferMethodDiscovery.Find(assembly, instance);
            }
            catch (InvalidOperationException e)
            {
                // The declarations themselves are wrong: every problem, on one line.
                HostLog.Error($"{package.Id}: {e.Message}");
                var lines = e.Message.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
                return Permanent(package.Id, package.Version, $"{lines[0]} {string.Join("; ", lines.Skip(1))}".TrimEnd());
            }
            catch (Exception e)
            {
                return Failed(package, e);
            }
            try
            {
                var context = new PackageContext(venv, package.Id, new RpcLog(_agent.LogAsync, package.Id), _stopping.Token);
                await instance.LoadAsync(context, _stopping.Token).ConfigureAwait(false);
                _loaded.Add(instance);
                await _runtime.Scheduler.AddAsync(declared, package.Id).ConfigureAwait(false);
            }
            catch (Exception e)
            {
                return Failed(package, e);
            }
        }
        return new PackageInfo(package.Id, package.Version, null);
    }

    private PackageInfo Failed(VenvDependency package, Exception e)
    {
        var inner = e is TargetInvocationException { InnerException: { } i } ? i : e;
        HostLog.Error($"{package.Id}: load failed", inner);
        return new PackageInfo(package.Id, package.Version, $"{inner.GetType().Name}: {FirstLine(inner.Message)}");
    }

    private static PackageInfo Permanent(string name, string version, string error) => new(name, version, error, Permanent: true);

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
