using System.Collections.Concurrent;
using System.Diagnostics;
using System.Runtime.InteropServices;

namespace Komlogd.TestKit;

/// <summary>
/// A running komlogd agent started by a test. Signals are real (kill(2)); dispose kills whatever is left,
/// children included, so no test leaves a process behind.
/// </summary>
public sealed partial class AgentProcess : IAsyncDisposable
{
    public const int SIGKILL = 9;
    public const int SIGTERM = 15;
    public const int SIGINT = 2;

    private readonly Process _process;
    private readonly ConcurrentQueue<string> _stderr = new();
    private readonly ConcurrentQueue<string> _stdout = new();

    private AgentProcess(Process process) => _process = process;

    public int Pid => _process.Id;
    public bool HasExited => _process.HasExited;
    public int ExitCode => _process.ExitCode;
    public IEnumerable<string> StderrLines => _stderr;
    public IEnumerable<string> StdoutLines => _stdout;

    /// <summary>Starts <c>komlogd</c> with the given arguments, HOME at <paramref name="home"/>.</summary>
    public static AgentProcess Start(string home, params string[] args) => Start(home, args, env: null);

    /// <param name="home">HOME and the working directory.</param>
    /// <param name="args">komlogd's arguments.</param>
    /// <param name="env">Extra environment variables.</param>
    /// <param name="executable">An installed komlogd to run instead of <c>dotnet komlogd.dll</c> of this build.</param>
    public static AgentProcess Start(string home, string[] args, IReadOnlyDictionary<string, string>? env, string? executable = null)
    {
        // A test runner started in the background may have SIGINT ignored, and ignored signals are inherited
        // through exec: env --default-signal gives the agent the disposition a terminal user's would have.
        var psi = new ProcessStartInfo("env")
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = home,
        };
        foreach (var a in (string[])["--default-signal=INT,TERM", .. KomlogdCli.Command(executable), .. args])
        {
            psi.ArgumentList.Add(a);
        }
        psi.Environment["HOME"] = home;
        if (env is not null)
        {
            foreach (var (k, v) in env)
            {
                psi.Environment[k] = v;
            }
        }
        var process = Process.Start(psi)!;
        var agent = new AgentProcess(process);
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) agent._stderr.Enqueue(e.Data); };
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) agent._stdout.Enqueue(e.Data); };
        process.BeginErrorReadLine();
        process.BeginOutputReadLine();
        // The agent's stdin is not a data source: close it so it reads as empty input.
        process.StandardInput.Close();
        return agent;
    }

    public void Signal(int signal)
    {
        if (Kill(_process.Id, signal) != 0)
        {
            throw new InvalidOperationException($"kill({_process.Id}, {signal}) failed: errno {Marshal.GetLastPInvokeError()}");
        }
    }

    /// <summary>Waits for exit; false when it is still running after <paramref name="timeout"/>.</summary>
    public async Task<bool> WaitForExitAsync(TimeSpan timeout)
    {
        try
        {
            await _process.WaitForExitAsync().WaitAsync(timeout).ConfigureAwait(false);
            return true;
        }
        catch (TimeoutException)
        {
            return false;
        }
    }

    public string Describe() => $"pid {Pid}\n--- stderr\n{string.Join('\n', _stderr)}\n--- stdout\n{string.Join('\n', _stdout)}";

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            try
            {
                _process.Kill(entireProcessTree: true);
            }
            catch (InvalidOperationException)
            {
            }
            await WaitForExitAsync(TimeSpan.FromSeconds(10)).ConfigureAwait(false);
        }
        _process.Dispose();
    }

    [LibraryImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static partial int Kill(int pid, int signal);
}
