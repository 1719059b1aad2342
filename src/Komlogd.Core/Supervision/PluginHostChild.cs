using Komlogd.Protocol;
using Komlogd.Protocol.Channel;
using Serilog;

namespace Komlogd.Core.Supervision;

/// <summary>
/// One Komlogd.PluginHost child: the process, its JSON-RPC channel on stdin/stdout, and its stderr drained
/// line by line into the log under the venv's name (a full 64 KiB stderr pipe would block the package).
/// Death is detected by process exit, not stdout EOF: a grandchild holding fd 1 delays EOF (docs/design.md).
/// What the host may call on the agent is served by the target the launcher gives (DataPath/AgentServer);
/// this type only carries the agent's own calls and turns the channel's failures into
/// <see cref="ChildLostException"/> and <see cref="ChildRefusedException"/>.
/// </summary>
public sealed class PluginHostChild : IChild
{
    private readonly ChildProcess _process;
    private readonly RpcChannel _rpc;
    private readonly string _venv;
    private readonly string _entryAssembly;
    private readonly IChildTarget _target;
    private readonly Stream _stdout;
    private readonly Stream _stderr;
    private int _disposed;

    private PluginHostChild(ChildProcess process, Stream stdout, Stream stderr, RpcChannel rpc, IChildTarget target, string venv, string entryAssembly)
    {
        _stdout = stdout;
        _stderr = stderr;
        _target = target;
        _process = process;
        _rpc = rpc;
        _venv = venv;
        _entryAssembly = entryAssembly;
        Pid = process.Id;
        Exited = process.Exited;
    }

    public int Pid { get; }
    public Task<int> Exited { get; }

    /// <summary>
    /// Runtime settings for every host that no runtimeconfig can carry (the runtime reads them from the
    /// environment alone; docs/protocol.md, "Handshake"): <c>JitHostMaxSlabCache</c> 0. The JIT's 16 MiB cache
    /// of freed work memory is only emptied when the finalizer runs after a collection, which held 2 MiB of a
    /// kpack_linux host's C heap; without the cache the JIT frees it at once, for the trim after a compilation
    /// (<c>NativeHeap</c>) to return. A value the agent's own environment gives (a person tuning it) is passed on
    /// instead. The host's gen0 budget is in its runtimeconfig (<c>System.GC.Gen0MaxBudget</c>).
    /// <c>MALLOC_ARENA_MAX</c> 1 (glibc's, read at the process's start): one C heap for all of the host's threads
    /// instead of one more arena for each thread that allocates (the JIT compiles on the channel's, the pool's and
    /// the start-up profile's threads), each keeping free pages of its own; a kpack_linux host's C heap held 0.3–0.4
    /// MiB less (docs/benchmarks.md, "The log file without a regex, one C heap, shared assemblies"). A host's threads do
    /// little at once, so the one arena's lock is not contended. What a package starts inherits it, as any
    /// environment variable; for sar and the like it changes nothing.
    /// </summary>
    public static readonly IReadOnlyList<(string Name, string Value)> RuntimeEnvironment =
    [
        ("DOTNET_JitHostMaxSlabCache", "0"),
        ("MALLOC_ARENA_MAX", "1"),
    ];

    /// <summary>Adds <see cref="RuntimeEnvironment"/> to a child's environment, keeping what it already holds.</summary>
    public static void SetRuntimeEnvironment(IDictionary<string, string?> environment)
    {
        foreach (var (name, value) in RuntimeEnvironment)
        {
            environment.TryAdd(name, value);
        }
    }

    /// <summary>
    /// Starts the host and its channel; <paramref name="target"/> makes what serves the host's calls. With
    /// <paramref name="jitProfile"/> the host records and replays the venv's start-up JIT profile.
    /// </summary>
    /// <exception cref="KomlogdException">The process could not be started.</exception>
    internal static PluginHostChild Start<TTarget>(string venv, string entryAssembly, string hostDll, bool jitProfile, ILogger log, Func<RpcChannel, ILogger, TTarget> target)
        where TTarget : IChildTarget, IRpcTarget
    {
        var psi = new ChildStart(DotnetMuxer())
        {
            RedirectStandardInput = true,
            WorkingDirectory = Path.GetDirectoryName(entryAssembly)!,
        };
        psi.ArgumentList.Add(hostDll);
        SetRuntimeEnvironment(psi.Environment);
        psi.Environment[Handshake.CookieName] = Handshake.CookieValue;
        psi.Environment[Handshake.ProtocolVersionName] = Handshake.Version.ToString(System.Globalization.CultureInfo.InvariantCulture);
        if (jitProfile)
        {
            psi.Environment[Handshake.JitProfileName] = JitProfileFile(entryAssembly);
        }
        var process = ChildProcess.Start(psi, $"venv {venv}: the plugin host {hostDll}");
        var childLog = log.ForContext("Venv", venv).ForContext("Pid", process.Id);
        var stderr = process.StandardError;
        LogStderr(stderr, childLog);
        var stdout = process.StandardOutput;
        var rpc = new RpcChannel(stdout, process.StandardInput!,
            line => childLog.Warning("{Line}", line), "komlogd", "the plugin host");
        var server = target(rpc, childLog);
        rpc.Start(server);
        return new PluginHostChild(process, stdout, stderr, rpc, server, venv, entryAssembly);
    }

    /// <summary>
    /// The host's stderr (its log and whatever its packages write there), a line at a time into the agent's
    /// log, on a thread of its own blocked in <c>read</c> until the pipe's last writer closes it. Not an
    /// asynchronous read: on Linux one on a pipe is System.Net.Sockets' engine (a <c>Socket</c> over the pipe,
    /// an epoll thread), which the agent has no other use for (<see cref="ChildProcess"/>).
    /// </summary>
    private static void LogStderr(Stream stderr, ILogger log) =>
        new Thread(() =>
        {
            // The reader is this thread's alone: the agent disposes the stream under it (DisposeAsync), never
            // the reader, whose Dispose would clear its buffers while a ReadLine here still uses them.
            using var lines = new StreamReader(stderr);
            try
            {
                while (lines.ReadLine() is { } line)
                {
                    log.Information("{Line}", line);
                }
            }
            catch (Exception e) when (e is IOException or ObjectDisposedException)
            {
                // The agent closed its end (the child is gone): nothing more to read.
            }
        })
        { IsBackground = true, Name = "komlogd stderr" }.Start();

    /// <summary>
    /// The venv's start-up JIT profile: beside its publish/ directory, in the venv's own directory, so a
    /// reinstall (which swaps the whole directory) starts a fresh one (docs/protocol.md).
    /// </summary>
    public static string JitProfileFile(string entryAssembly) =>
        Path.Combine(Path.GetDirectoryName(Path.GetDirectoryName(Path.GetFullPath(entryAssembly)))!, "host.jitprofile");

    public async Task<ChildLoad> InitializeAsync(CancellationToken cancellationToken)
    {
        var result = await CallAsync(() => _rpc.InvokeAsync(HostMethods.Initialize,
            new InitializeRequest(Handshake.Version, _venv, _entryAssembly), HostWire.InitializeRequest, HostWire.InitializeResult, cancellationToken)).ConfigureAwait(false);
        return new ChildLoad(result.Pid, result.Packages.Select(p => new PackageLoad(p.Name, p.Version, p.Error, p.Permanent)).ToList());
    }

    public Task PingAsync(CancellationToken cancellationToken) =>
        CallAsync(() => _rpc.InvokeAsync(HostMethods.Ping, Environment.TickCount64, HostWire.Int64, HostWire.Int64, cancellationToken));

    /// <summary>Through the target, which sends the child its updates: the question comes after them.</summary>
    public Task<ChildRuns> RunsAsync(CancellationToken cancellationToken) => CallAsync(() => _target.RunsAsync(cancellationToken));

    public async Task ShutdownAsync(CancellationToken cancellationToken)
    {
        try
        {
            await CallAsync(() => _rpc.InvokeAsync(HostMethods.Shutdown, WireArgs.None, HostWire.Any, cancellationToken)).ConfigureAwait(false);
        }
        finally
        {
            // Closes the child's stdin: the host exits when its channel ends.
            _rpc.Close();
        }
    }

    /// <summary>The channel's failures as the supervisor knows them; cancellation passes through.</summary>
    private static async Task<T> CallAsync<T>(Func<Task<T>> call)
    {
        try
        {
            return await call().ConfigureAwait(false);
        }
        catch (RemoteErrorException e)
        {
            throw new ChildRefusedException(e.Message, e);
        }
        catch (Exception e) when (e is ObjectDisposedException or IOException)
        {
            throw new ChildLostException(e.Message, e);
        }
    }

    public void Terminate()
    {
        if (!_process.HasExited)
        {
            _ = Signals.Send(Pid, Signals.SIGTERM);
        }
    }

    /// <summary>
    /// SIGKILL to the host and to its process group: the host leads a group of its own that holds whatever
    /// its packages started (docs/protocol.md, "Signals"), and a killed host cannot end that group itself.
    /// Also right after the host exited (DisposeAsync): a host that crashed leaves its group's other members
    /// behind, and the kernel gives no new process a pid still in use as a group id while any is alive (an
    /// empty group's id could only be reused after the pid counter wrapped round, not in those milliseconds).
    /// </summary>
    public void Kill()
    {
        _ = Signals.Send(-Pid, Signals.SIGKILL);
        if (!_process.HasExited)
        {
            Signals.KillTree(Pid);
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }
        Kill();
        _target.Dispose();
        _rpc.Close();
        await ((Task)Exited).WaitAsync(TimeSpan.FromSeconds(10)).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        // Closed once their readers' blocking reads return (the descriptors are safe handles): at the EOF
        // of a host whose process group was just killed. Their readers then end on ObjectDisposedException.
        _stdout.Dispose();
        _stderr.Dispose();
    }

    /// <summary>The dotnet host running this agent, so children use the same runtime.</summary>
    private static string DotnetMuxer() =>
        Environment.ProcessPath is { } path && Path.GetFileNameWithoutExtension(path) == "dotnet" ? path : "dotnet";
}
