using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace Komlogd.PluginHost;

/// <summary>
/// Keeps the RPC channel the only writer of the real stdout, whatever a package does. Measured (docs/design.md):
/// redirecting Console.Out alone let raw write(1) calls, a grandchild's echo and a package reading stdin
/// break the channel; and Console.OpenStandardOutput shares a lock with Console.Out, so a package blocked
/// writing to the console froze every RPC answer. So: take private close-on-exec duplicates of fd 0 and 1
/// for the RPC, then point fd 1 at stderr and fd 0 at /dev/null for everybody else.
/// Guarded by PluginHostTests.AChildWhosePackageSpamsStdoutKeepsAnsweringEveryPing.
/// </summary>
internal static partial class ChannelGuard
{
    public static (Stream Input, Stream Output) Take()
    {
        var rpcIn = DupCloexec(0);
        var rpcOut = DupCloexec(1);
        var devNull = Open("/dev/null", 0 /* O_RDONLY */);
        if (devNull < 0 || Dup2(2, 1) < 0 || Dup2(devNull, 0) < 0)
        {
            throw new IOException($"cannot redirect stdio: errno {Marshal.GetLastPInvokeError()}");
        }
        Close(devNull);
        Console.SetOut(Console.Error);
        Console.SetIn(TextReader.Null);
        return (
            new FileStream(new SafeFileHandle(rpcIn, ownsHandle: true), FileAccess.Read, bufferSize: 0),
            new FileStream(new SafeFileHandle(rpcOut, ownsHandle: true), FileAccess.Write, bufferSize: 0));
    }

    private static nint DupCloexec(int fd)
    {
        var copy = Fcntl(fd, 1030 /* F_DUPFD_CLOEXEC */, 3);
        return copy >= 0 ? copy : throw new IOException($"cannot duplicate fd {fd}: errno {Marshal.GetLastPInvokeError()}");
    }

    [LibraryImport("libc", EntryPoint = "fcntl", SetLastError = true)]
    private static partial int Fcntl(int fd, int cmd, int arg);

    [LibraryImport("libc", EntryPoint = "dup2", SetLastError = true)]
    private static partial int Dup2(int oldFd, int newFd);

    [LibraryImport("libc", EntryPoint = "open", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int Open(string path, int flags);

    [LibraryImport("libc", EntryPoint = "close", SetLastError = true)]
    private static partial int Close(int fd);
}
