namespace Komlogd.Core.Supervision;

/// <summary>
/// The agent's own children (the installer, the configuration's reader): this komlogd started again, and their
/// pipes read by blocking calls on threads of their own. Not a <c>PipeStream</c>'s reads: on Linux every read or
/// write through one, even a blocking one, loads System.Net.Sockets (the same methods serve named pipes, which
/// are Unix sockets), and an asynchronous read runs on the sockets' engine and its epoll thread; in an agent that
/// otherwise has no socket of .NET's (its control socket is libc's, Control/UnixSocket.cs), that was about 1 MiB
/// of its PSS (docs/benchmarks.md, "The control socket on libc"). <see cref="ChildProcess"/> gives plain
/// <see cref="FileStream"/>s: a read is <c>read</c>.
/// </summary>
internal static class ChildPipes
{
    /// <summary>
    /// This komlogd started again (<see cref="Service.ServiceUnit.ExecStart"/>) with <paramref name="args"/>: the
    /// agent's own children (the installer, the configuration's reader).
    /// </summary>
    public static ChildStart Komlogd(IEnumerable<string> args)
    {
        var command = Service.ServiceUnit.ExecStart();
        var start = new ChildStart(command[0]);
        start.ArgumentList.AddRange(command.Skip(1).Concat(args));
        return start;
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
}
