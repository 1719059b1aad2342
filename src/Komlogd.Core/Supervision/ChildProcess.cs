using System.Collections;
using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace Komlogd.Core.Supervision;

/// <summary>What to start: <see cref="ChildProcess.Start"/>'s <c>ProcessStartInfo</c>.</summary>
internal sealed class ChildStart(string fileName)
{
    /// <summary>A name found on PATH, as a shell finds it, or a path.</summary>
    public string FileName { get; } = fileName;

    public List<string> ArgumentList { get; } = [];

    /// <summary>The child's environment: this process's, changed here before the start.</summary>
    public Dictionary<string, string?> Environment { get; } = Inherited();

    /// <summary>The child's working directory; this process's when null.</summary>
    public string? WorkingDirectory { get; init; }

    /// <summary>A pipe for the child's stdin (<see cref="ChildProcess.StandardInput"/>); otherwise it shares this process's.</summary>
    public bool RedirectStandardInput { get; set; }

    private static Dictionary<string, string?> Inherited()
    {
        var environment = new Dictionary<string, string?>(StringComparer.Ordinal);
        foreach (DictionaryEntry variable in System.Environment.GetEnvironmentVariables())
        {
            environment[(string)variable.Key] = (string?)variable.Value;
        }
        return environment;
    }
}

/// <summary>
/// A child started with libc's <c>posix_spawnp</c>: its pid, the agent's ends of its stdout and stderr (and
/// stdin when asked) as plain <see cref="FileStream"/>s, and its exit, reaped by <c>waitpid</c> on a thread of
/// its own. Not <see cref="System.Diagnostics.Process"/>: the agent used none of what it adds (it reads the
/// pipes as file streams, signals through <see cref="Signals"/>, waits for the exit itself), and it and the
/// assemblies it loads (System.IO.Pipes for its redirected streams, System.ComponentModel.Primitives,
/// Microsoft.Win32.Primitives) with their types were about 0.6 MiB of a running agent (docs/benchmarks.md,
/// "komlogd's own JSON, no Process, no Channels"; docs/protocol.md, "Handshake").
/// </summary>
/// <remarks>
/// As <c>Process.Start</c> does: every signal's disposition is the default in the child and none is blocked
/// (the runtime ignores SIGPIPE; a child must not), the child's descriptors are its three standard ones (the
/// pipes are made close-on-exec, as .NET opens every descriptor), and a child that dies of a signal ends with
/// 128 + its number.
/// </remarks>
internal sealed partial class ChildProcess
{
    private const int OCloexec = 0x80000;
    private const int FDupfdCloexec = 1030;
    private const short PosixSpawnSetSigDef = 0x04;
    private const short PosixSpawnSetSigMask = 0x08;
    private const int Eintr = 4;
    // glibc's posix_spawn_file_actions_t is 80 bytes, posix_spawnattr_t 336, sigset_t 128: room to spare.
    private const int OpaqueSize = 512;

    private readonly TaskCompletionSource<int> _exited = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private ChildProcess(int id, FileStream? stdin, FileStream stdout, FileStream stderr)
    {
        Id = id;
        StandardInput = stdin;
        StandardOutput = stdout;
        StandardError = stderr;
        new Thread(Reap) { IsBackground = true, Name = "komlogd wait" }.Start();
    }

    public int Id { get; }

    /// <summary>The child's stdin, when <see cref="ChildStart.RedirectStandardInput"/>; disposing it is the child's EOF.</summary>
    public FileStream? StandardInput { get; }

    public FileStream StandardOutput { get; }

    public FileStream StandardError { get; }

    /// <summary>The exit code, when the child has exited (128 + N for a death by signal N).</summary>
    public Task<int> Exited => _exited.Task;

    public bool HasExited => _exited.Task.IsCompleted;

    /// <exception cref="IOException">The child could not be started (the file is not there or not executable, no pipes left): the system's words.</exception>
    public static unsafe ChildProcess Start(ChildStart start)
    {
        var pipes = new List<int>();
        var argv = new List<nint>();
        var envp = new List<nint>();
        var actions = NativeMemory.AllocZeroed(OpaqueSize);
        var attributes = NativeMemory.AllocZeroed(OpaqueSize);
        var signals = NativeMemory.AllocZeroed(OpaqueSize);
        try
        {
            var (stdinRead, stdinWrite) = start.RedirectStandardInput ? Pipe(pipes) : (-1, -1);
            var (stdoutRead, stdoutWrite) = Pipe(pipes);
            var (stderrRead, stderrWrite) = Pipe(pipes);
            Check(posix_spawn_file_actions_init(actions));
            try
            {
                Check(posix_spawnattr_init(attributes));
                try
                {
                    if (stdinRead >= 0)
                    {
                        Check(posix_spawn_file_actions_adddup2(actions, stdinRead, 0));
                    }
                    Check(posix_spawn_file_actions_adddup2(actions, stdoutWrite, 1));
                    Check(posix_spawn_file_actions_adddup2(actions, stderrWrite, 2));
                    if (start.WorkingDirectory is { } directory)
                    {
                        Check(posix_spawn_file_actions_addchdir_np(actions, directory));
                    }
                    sigfillset(signals);
                    Check(posix_spawnattr_setsigdefault(attributes, signals));
                    sigemptyset(signals);
                    Check(posix_spawnattr_setsigmask(attributes, signals));
                    Check(posix_spawnattr_setflags(attributes, PosixSpawnSetSigDef | PosixSpawnSetSigMask));
                    argv.Add(Marshal.StringToCoTaskMemUTF8(start.FileName));
                    argv.AddRange(start.ArgumentList.Select(Marshal.StringToCoTaskMemUTF8));
                    argv.Add(0);
                    envp.AddRange(start.Environment.Where(v => v.Value is not null).Select(v => Marshal.StringToCoTaskMemUTF8($"{v.Key}={v.Value}")));
                    envp.Add(0);
                    int pid;
                    int error;
                    fixed (nint* args = CollectionsMarshal.AsSpan(argv), env = CollectionsMarshal.AsSpan(envp))
                    {
                        error = posix_spawnp(out pid, start.FileName, actions, attributes, args, env);
                    }
                    if (error != 0)
                    {
                        throw new IOException($"cannot start {start.FileName}: {Marshal.GetPInvokeErrorMessage(error)}");
                    }
                    // The child's ends are the child's now; the agent keeps its own.
                    foreach (var fd in new[] { stdinRead, stdoutWrite, stderrWrite }.Where(fd => fd >= 0))
                    {
                        _ = close(fd);
                    }
                    pipes.Clear();
                    return new ChildProcess(pid,
                        stdinWrite >= 0 ? Stream(stdinWrite, FileAccess.Write) : null,
                        Stream(stdoutRead, FileAccess.Read),
                        Stream(stderrRead, FileAccess.Read));
                }
                finally
                {
                    _ = posix_spawnattr_destroy(attributes);
                }
            }
            finally
            {
                _ = posix_spawn_file_actions_destroy(actions);
            }
        }
        finally
        {
            foreach (var fd in pipes)
            {
                _ = close(fd);
            }
            foreach (var s in argv.Concat(envp))
            {
                Marshal.FreeCoTaskMem(s);
            }
            NativeMemory.Free(actions);
            NativeMemory.Free(attributes);
            NativeMemory.Free(signals);
        }
    }

    /// <summary><see cref="Start(ChildStart)"/>, a failure told as one line: what the child was for, then the system's words.</summary>
    /// <exception cref="KomlogdException">The child could not be started.</exception>
    public static ChildProcess Start(ChildStart start, string purpose)
    {
        try
        {
            return Start(start);
        }
        catch (IOException e)
        {
            throw new KomlogdException($"{purpose}: {e.Message}", ExitCodes.Failure, e);
        }
    }

    /// <summary>Waits for the exit, without blocking a thread of the pool (the child's own waits in <c>waitpid</c>).</summary>
    public Task WaitForExitAsync(CancellationToken cancellationToken) => Exited.WaitAsync(cancellationToken);

    private void Reap()
    {
        while (true)
        {
            var reaped = waitpid(Id, out var status, 0);
            if (reaped == Id)
            {
                // WIFEXITED: the low 7 bits are 0 and the code is the next byte; otherwise the low 7 bits are the signal.
                _exited.TrySetResult((status & 0x7F) == 0 ? (status >> 8) & 0xFF : 128 + (status & 0x7F));
                return;
            }
            if (Marshal.GetLastPInvokeError() != Eintr)
            {
                // Reaped by someone else (ECHILD): gone all the same, with no code to tell.
                _exited.TrySetResult(-1);
                return;
            }
        }
    }

    /// <summary>A pipe, both ends close-on-exec and above the standard descriptors (so a <c>dup2</c> onto 0–2 is never a no-op).</summary>
    private static unsafe (int Read, int Write) Pipe(List<int> open)
    {
        var fds = stackalloc int[2];
        if (pipe2(fds, OCloexec) != 0)
        {
            throw new IOException($"cannot make a pipe for a child: {Marshal.GetPInvokeErrorMessage(Marshal.GetLastPInvokeError())}");
        }
        open.Add(fds[0]);
        open.Add(fds[1]);
        return (AboveStandard(fds[0], open), AboveStandard(fds[1], open));
    }

    private static int AboveStandard(int fd, List<int> open)
    {
        if (fd > 2)
        {
            return fd;
        }
        var moved = fcntl(fd, FDupfdCloexec, 3);
        if (moved < 0)
        {
            throw new IOException($"cannot make a pipe for a child: {Marshal.GetPInvokeErrorMessage(Marshal.GetLastPInvokeError())}");
        }
        _ = close(fd);
        open.Remove(fd);
        open.Add(moved);
        return moved;
    }

    private static FileStream Stream(int fd, FileAccess access) => new(new SafeFileHandle(fd, ownsHandle: true), access, bufferSize: 0);

    private static void Check(int error)
    {
        if (error != 0)
        {
            throw new IOException($"cannot start a child: {Marshal.GetPInvokeErrorMessage(error)}");
        }
    }

    [LibraryImport("libc", EntryPoint = "pipe2", SetLastError = true)]
    private static unsafe partial int pipe2(int* fds, int flags);

    [LibraryImport("libc", EntryPoint = "fcntl", SetLastError = true)]
    private static partial int fcntl(int fd, int command, int argument);

    [LibraryImport("libc", EntryPoint = "close")]
    private static partial int close(int fd);

    [LibraryImport("libc", EntryPoint = "waitpid", SetLastError = true)]
    private static partial int waitpid(int pid, out int status, int options);

    [LibraryImport("libc", EntryPoint = "posix_spawnp", StringMarshalling = StringMarshalling.Utf8)]
    private static unsafe partial int posix_spawnp(out int pid, string file, void* actions, void* attributes, nint* argv, nint* envp);

    [LibraryImport("libc", EntryPoint = "posix_spawn_file_actions_init")]
    private static unsafe partial int posix_spawn_file_actions_init(void* actions);

    [LibraryImport("libc", EntryPoint = "posix_spawn_file_actions_destroy")]
    private static unsafe partial int posix_spawn_file_actions_destroy(void* actions);

    [LibraryImport("libc", EntryPoint = "posix_spawn_file_actions_adddup2")]
    private static unsafe partial int posix_spawn_file_actions_adddup2(void* actions, int fd, int newFd);

    [LibraryImport("libc", EntryPoint = "posix_spawn_file_actions_addchdir_np", StringMarshalling = StringMarshalling.Utf8)]
    private static unsafe partial int posix_spawn_file_actions_addchdir_np(void* actions, string path);

    [LibraryImport("libc", EntryPoint = "posix_spawnattr_init")]
    private static unsafe partial int posix_spawnattr_init(void* attributes);

    [LibraryImport("libc", EntryPoint = "posix_spawnattr_destroy")]
    private static unsafe partial int posix_spawnattr_destroy(void* attributes);

    [LibraryImport("libc", EntryPoint = "posix_spawnattr_setflags")]
    private static unsafe partial int posix_spawnattr_setflags(void* attributes, short flags);

    [LibraryImport("libc", EntryPoint = "posix_spawnattr_setsigdefault")]
    private static unsafe partial int posix_spawnattr_setsigdefault(void* attributes, void* signals);

    [LibraryImport("libc", EntryPoint = "posix_spawnattr_setsigmask")]
    private static unsafe partial int posix_spawnattr_setsigmask(void* attributes, void* signals);

    [LibraryImport("libc", EntryPoint = "sigfillset")]
    private static unsafe partial int sigfillset(void* signals);

    [LibraryImport("libc", EntryPoint = "sigemptyset")]
    private static unsafe partial int sigemptyset(void* signals);
}
