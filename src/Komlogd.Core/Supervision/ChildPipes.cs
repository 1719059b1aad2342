using System.Diagnostics;
using System.IO.Pipes;
using Microsoft.Win32.SafeHandles;

namespace Komlogd.Core.Supervision;

/// <summary>
/// A started <see cref="Process"/>'s redirected pipes as plain <see cref="FileStream"/>s: the agent's end of
/// each pipe taken from the process's <see cref="PipeStream"/>, which is left without it.
/// </summary>
/// <remarks>
/// On Linux every read or write through a <see cref="PipeStream"/>, even a blocking one, loads
/// System.Net.Sockets: the same methods serve named pipes, which are Unix sockets, and their ReadyToRun code
/// resolves <c>Socket</c> on entry; an asynchronous read runs on the sockets' engine and its epoll thread. In
/// an agent that otherwise has no socket of .NET's (its control socket is libc's, Control/UnixSocket.cs), that
/// was System.Net.Sockets, System.Net.Primitives and their types, about 1 MiB of its PSS (docs/benchmarks.md,
/// "The control socket on libc"). A <see cref="FileStream"/> over a pipe is <c>read</c> and <c>write</c>.
/// </remarks>
internal static class ChildPipes
{
    /// <summary>The process's stdout (or stderr) for reading, unbuffered: a read returns what the pipe holds.</summary>
    public static FileStream Reader(StreamReader redirected) => Move(redirected, redirected.BaseStream, FileAccess.Read);

    /// <summary>
    /// This komlogd started again (<see cref="Service.ServiceUnit.ExecStart"/>) with <paramref name="args"/>, its
    /// stdout and stderr redirected: the agent's own children (the installer, the configuration's reader).
    /// </summary>
    public static ProcessStartInfo Komlogd(IEnumerable<string> args)
    {
        var command = Service.ServiceUnit.ExecStart();
        var psi = new ProcessStartInfo(command[0])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var arg in command.Skip(1).Concat(args))
        {
            psi.ArgumentList.Add(arg);
        }
        return psi;
    }

    /// <summary>A blocking read on a thread of its own (it lasts as long as the child).</summary>
    public static Task<T> Blocking<T>(Func<T> read) =>
        Task.Factory.StartNew(read, CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);

    /// <summary>All of <paramref name="pipe"/> until the child closes it, read on a thread of its own.</summary>
    public static Task<string> ReadToEnd(FileStream pipe) => Blocking(() =>
    {
        using var reader = new StreamReader(pipe);
        return reader.ReadToEnd();
    });

    /// <summary>The process's stdin for writing, unbuffered: each write is a <c>write</c>.</summary>
    public static FileStream Writer(StreamWriter redirected) => Move(redirected, redirected.BaseStream, FileAccess.Write);

    /// <summary>
    /// Takes the pipe's descriptor from <paramref name="owner"/>'s <see cref="PipeStream"/> and disposes the
    /// owner: the pipe's handle is marked invalid first, so neither the stream nor
    /// <see cref="Process.Dispose()"/> closes the descriptor; the returned stream owns it. The descriptor keeps
    /// its close-on-exec flag: .NET makes its end of each pipe so.
    /// </summary>
    private static FileStream Move(IDisposable owner, Stream stream, FileAccess access)
    {
        var handle = ((PipeStream)stream).SafePipeHandle;
        var fd = handle.DangerousGetHandle();
        handle.SetHandleAsInvalid();
        try
        {
            owner.Dispose();
        }
        catch (ObjectDisposedException)
        {
            // The writer's last flush, on a pipe it no longer has: disposed all the same, nothing was buffered.
        }
        return new FileStream(new SafeFileHandle(fd, ownsHandle: true), access, bufferSize: 0);
    }
}
