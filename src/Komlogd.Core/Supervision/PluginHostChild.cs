using System.ComponentModel;
using System.Diagnostics;
using System.Runtime.InteropServices;
using System.Threading.Channels;
using Komlogd.Core.Store;
using Komlogd.PluginHost;
using Serilog;
using StreamJsonRpc;

namespace Komlogd.Core.Supervision;

/// <summary>
/// The agent's end of one Komlogd.PluginHost child: the process, its JSON-RPC channel on stdin/stdout, and
/// its stderr drained line by line into the log under the venv's name (a full 64 KiB stderr pipe would
/// block the package). Death is detected by process exit, not stdout EOF: a grandchild holding fd 1 delays
/// EOF (DESIGN.md).
/// </summary>
public sealed partial class PluginHostChild : IChild
{
    private readonly Process _process;
    private readonly JsonRpc _rpc;
    private readonly string _venv;
    private readonly string _entryAssembly;
    private readonly AgentEndpoint _endpoint;
    private int _disposed;

    private PluginHostChild(Process process, JsonRpc rpc, AgentEndpoint endpoint, string venv, string entryAssembly)
    {
        _endpoint = endpoint;
        _process = process;
        _rpc = rpc;
        _venv = venv;
        _entryAssembly = entryAssembly;
        Pid = process.Id;
        Exited = WaitForExitAsync(process);
    }

    public int Pid { get; }
    public Task<int> Exited { get; }

    public static PluginHostChild Start(string venv, string entryAssembly, string hostDll, SampleHub? hub, ILogger log)
    {
        var psi = new ProcessStartInfo(DotnetMuxer())
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = Path.GetDirectoryName(entryAssembly)!,
        };
        psi.ArgumentList.Add(hostDll);
        psi.Environment[Handshake.CookieName] = Handshake.CookieValue;
        psi.Environment[Handshake.ProtocolVersionName] = Handshake.Version.ToString(System.Globalization.CultureInfo.InvariantCulture);
        psi.Environment[Handshake.JitProfileName] = JitProfileFile(entryAssembly);
        Process process;
        try
        {
            process = Process.Start(psi) ?? throw new KomlogdException($"venv {venv}: cannot start {hostDll}", ExitCodes.Failure);
        }
        catch (Win32Exception e)
        {
            throw new KomlogdException($"venv {venv}: cannot start {psi.FileName} {hostDll}: {e.Message}", ExitCodes.Failure, e);
        }
        var childLog = log.ForContext("Venv", venv).ForContext("Pid", process.Id);
        process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is not null)
            {
                childLog.Information("{Line}", e.Data);
            }
        };
        process.BeginErrorReadLine();
        var rpc = new JsonRpc(new HeaderDelimitedMessageHandler(process.StandardInput.BaseStream, process.StandardOutput.BaseStream, new SystemTextJsonFormatter()));
        var endpoint = new AgentEndpoint(childLog, hub, rpc);
        rpc.AddLocalRpcTarget(endpoint);
        rpc.StartListening();
        return new PluginHostChild(process, rpc, endpoint, venv, entryAssembly);
    }

    /// <summary>
    /// The venv's start-up JIT profile: beside its publish/ directory, in the venv's own directory, so a
    /// reinstall (which swaps the whole directory) starts a fresh one (docs/protocol.md).
    /// </summary>
    public static string JitProfileFile(string entryAssembly) =>
        Path.Combine(Path.GetDirectoryName(Path.GetDirectoryName(Path.GetFullPath(entryAssembly)))!, "host.jitprofile");

    public Task<InitializeResult> InitializeAsync(CancellationToken cancellationToken) =>
        _rpc.InvokeWithCancellationAsync<InitializeResult>(Methods.Initialize, [new InitializeRequest(Handshake.Version, _venv, _entryAssembly)], cancellationToken);

    public Task PingAsync(CancellationToken cancellationToken) =>
        _rpc.InvokeWithCancellationAsync<long>(Methods.Ping, [Environment.TickCount64], cancellationToken);

    public async Task ShutdownAsync(CancellationToken cancellationToken)
    {
        try
        {
            await _rpc.InvokeWithCancellationAsync(Methods.Shutdown, [], cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            // Closes the child's stdin: the host exits when its channel ends. JsonRpc.Dispose closes it;
            // closing it again throws (DESIGN.md).
            _rpc.Dispose();
        }
    }

    public void Terminate()
    {
        if (!_process.HasExited)
        {
            _ = SendSignal(Pid, 15);
        }
    }

    public void Kill()
    {
        try
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
            }
        }
        catch (InvalidOperationException)
        {
            // Exited in between.
        }
        catch (Win32Exception)
        {
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }
        Kill();
        _endpoint.Dispose();
        _rpc.Dispose();
        await ((Task)Exited).WaitAsync(TimeSpan.FromSeconds(10)).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        _process.Dispose();
    }

    /// <summary>
    /// The exit itself (SIGCHLD), not <see cref="Process.WaitForExitAsync"/>: with stderr read asynchronously
    /// that also waits for stderr's EOF, which a grandchild holding the host's stderr (a package's
    /// <c>sleep</c>, a daemon it started) delays for as long as the grandchild lives: the supervisor then
    /// never saw a killed host die (PluginHostTests.AHostKilledWhileItsGrandchildHoldsItsStderrIsSeenDeadAndRestarted).
    /// </summary>
    private static Task<int> WaitForExitAsync(Process process)
    {
        var exited = new TaskCompletionSource<int>(TaskCreationOptions.RunContinuationsAsynchronously);
        process.EnableRaisingEvents = true;
        process.Exited += (_, _) => exited.TrySetResult(process.ExitCode);
        if (process.HasExited)
        {
            exited.TrySetResult(process.ExitCode);
        }
        return exited.Task;
    }

    /// <summary>The dotnet host running this agent, so children use the same runtime.</summary>
    private static string DotnetMuxer() =>
        Environment.ProcessPath is { } path && Path.GetFileNameWithoutExtension(path) == "dotnet" ? path : "dotnet";

    [LibraryImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static partial int SendSignal(int pid, int signal);

    /// <summary>What the host may call on the agent; and the hub's subscriber for this child.</summary>
    private sealed class AgentEndpoint : ISampleSubscriber, IDisposable
    {
        private readonly ILogger _log;
        private readonly SampleHub? _hub;
        private readonly JsonRpc _rpc;
        // Updates leave in commit order, one notification at a time, without blocking the writer.
        private readonly Channel<WireSample[]> _updates = Channel.CreateUnbounded<WireSample[]>(new UnboundedChannelOptions { SingleReader = true });
        private readonly Channel<(NewSample[] Rows, TaskCompletionSource<int> Done)> _writes =
            Channel.CreateUnbounded<(NewSample[], TaskCompletionSource<int>)>(new UnboundedChannelOptions { SingleReader = true });

        public AgentEndpoint(ILogger log, SampleHub? hub, JsonRpc rpc)
        {
            _log = log;
            _hub = hub;
            _rpc = rpc;
            _ = SendUpdatesAsync();
            _ = Task.Run(WriteLoopAsync);
        }

        [JsonRpcMethod(Methods.Log)]
        public void Log(LogEntry entry)
        {
            var level = entry.Level switch
            {
                "Debug" => Serilog.Events.LogEventLevel.Debug,
                "Warning" => Serilog.Events.LogEventLevel.Warning,
                "Error" => Serilog.Events.LogEventLevel.Error,
                _ => Serilog.Events.LogEventLevel.Information,
            };
            var source = entry.Package ?? "host";
            if (entry.Exception is null)
            {
                _log.Write(level, "{Package}: {Message}", source, entry.Message);
            }
            else
            {
                _log.Write(level, "{Package}: {Message}\n{RemoteException}", source, entry.Message, entry.Exception);
            }
        }

        /// <summary>
        /// Answers when the batch is committed. The commit runs on this child's writer loop, not on the RPC
        /// reader, so the next batch is read and parsed while this one commits; one loop per child keeps
        /// its batches in order.
        /// </summary>
        [JsonRpcMethod(Methods.Insert)]
        public Task<int> InsertAsync(SampleBatch batch)
        {
            var rows = SampleBatchRows.Read(batch);
            var done = new TaskCompletionSource<int>(TaskCreationOptions.RunContinuationsAsynchronously);
            if (!_writes.Writer.TryWrite((rows, done)))
            {
                done.SetException(new LocalRpcException("the agent is stopping") { ErrorCode = 12 });
            }
            return done.Task;
        }

        private async Task WriteLoopAsync()
        {
            await foreach (var (rows, done) in _writes.Reader.ReadAllAsync().ConfigureAwait(false))
            {
                try
                {
                    Hub().Insert(rows);
                    done.SetResult(rows.Length);
                }
                catch (KomlogdException e)
                {
                    done.SetException(new LocalRpcException(e.Message) { ErrorCode = SampleBatchRows.RefusedCode });
                }
                catch (LocalRpcException e)
                {
                    done.SetException(e);
                }
            }
        }

        [JsonRpcMethod(Methods.Get)]
        public WireSample[] Get(GetRequest request) =>
            Hub().Get(request.Uri,
                    request.Start is { } s ? SampleTime.FromMs(s) : null,
                    request.End is { } e ? SampleTime.FromMs(e) : null,
                    request.Count)
                .Where(x => request.Type is null || x.Type.Name() == request.Type)
                .Select(ToWire).ToArray();

        [JsonRpcMethod(Methods.Subscribe)]
        public void Subscribe(string[] uris) => Hub().Subscribe(this, uris);

        [JsonRpcMethod(Methods.Unsubscribe)]
        public void Unsubscribe(string[] uris) => Hub().Unsubscribe(this, uris);

        public void OnSamples(IReadOnlyList<StoredSample> samples) => _updates.Writer.TryWrite(samples.Select(ToWire).ToArray());

        private async Task SendUpdatesAsync()
        {
            try
            {
                await foreach (var batch in _updates.Reader.ReadAllAsync().ConfigureAwait(false))
                {
                    await _rpc.NotifyAsync(Methods.Updated, [batch]).ConfigureAwait(false);
                }
            }
            catch (Exception e) when (e is ConnectionLostException or ObjectDisposedException or IOException)
            {
                // The child is gone; its supervisor sees the exit.
            }
        }

        private SampleHub Hub() => _hub ?? throw new LocalRpcException("this agent has no store") { ErrorCode = 11 };

        private static WireSample ToWire(StoredSample s) => new(s.Uri, SampleTime.ToMs(s.T), s.Type.Name(), s.Value);

        public void Dispose()
        {
            _hub?.Remove(this);
            _updates.Writer.TryComplete();
            _writes.Writer.TryComplete();
        }
    }
}

/// <summary>Starts real Komlogd.PluginHost children from the agent's own directory.</summary>
public sealed class PluginHostLauncher(ILogger log, SampleHub? hub = null, string? hostDll = null) : IChildLauncher
{
    public string HostDll { get; } = hostDll ?? DefaultHostDll(AppContext.BaseDirectory);

    /// <summary>
    /// The host an agent installed in <paramref name="agentDir"/> starts: the ReadyToRun copy in host/ that
    /// the build publishes (Komlogd.Core.csproj, target PublishPluginHost), else the portable assembly beside
    /// the agent (a build with -p:KomlogdHostReadyToRun=false).
    /// </summary>
    public static string DefaultHostDll(string agentDir)
    {
        var readyToRun = Path.Combine(agentDir, "host", "Komlogd.PluginHost.dll");
        return File.Exists(readyToRun) ? readyToRun : Path.Combine(agentDir, "Komlogd.PluginHost.dll");
    }

    public IChild Launch(string venv, string entryAssembly) => PluginHostChild.Start(venv, entryAssembly, HostDll, hub, log);
}
