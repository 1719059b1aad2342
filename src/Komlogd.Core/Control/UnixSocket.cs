using System.Runtime.InteropServices;
using System.Text;

namespace Komlogd.Core.Control;

/// <summary>
/// A blocking Unix stream socket on libc (<c>socket</c>, <c>connect</c>, <c>send</c>, <c>recv</c>, <c>close</c>):
/// the connection of the two short commands (<c>-u</c>, <c>status</c>) to the agent.
/// </summary>
/// <remarks>
/// Not <see cref="System.Net.Sockets.Socket"/>: the first one in a process costs about 15 ms before it does
/// anything (the runtime's socket engine and its queue, the sockets telemetry's <c>EventSource</c> built by
/// reflection, a dozen generic methods compiled), a fifth of a <c>komlogd status</c>, for one request and one
/// answer; these five calls cost about 1 ms (docs/cli.md, "The short commands' start"). Linux's
/// <c>sockaddr_un</c> (a 2-byte family, then a 108-byte path), as komlogd runs on Linux only.
/// </remarks>
internal sealed unsafe partial class UnixSocket : IDisposable
{
    private const int AF_UNIX = 1;
    private const int SOCK_STREAM = 1;
    private const int SOCK_CLOEXEC = 0x80000;
    private const int MSG_NOSIGNAL = 0x4000;
    private const int EINTR = 4;
    private const int PathBytes = 108;

    /// <summary>The longest path a Unix socket can have here: <c>sun_path</c> less its terminating NUL.</summary>
    public const int MaxPathBytes = PathBytes - 1;

    private int _fd;

    private UnixSocket(int fd) => _fd = fd;

    /// <summary>A connection to <paramref name="path"/>, or null when nobody listens there (or no socket can: a path longer than <see cref="MaxPathBytes"/>).</summary>
    public static UnixSocket? TryConnect(string path)
    {
        var address = stackalloc byte[2 + PathBytes];
        new Span<byte>(address, 2 + PathBytes).Clear();
        *(ushort*)address = AF_UNIX;
        if (!Encoding.UTF8.TryGetBytes(path, new Span<byte>(address + 2, MaxPathBytes), out _))
        {
            return null;
        }
        var fd = Socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
        if (fd < 0)
        {
            throw new IOException($"socket() failed: errno {Marshal.GetLastPInvokeError()}");
        }
        if (Connect(fd, address, 2 + PathBytes) != 0)
        {
            // A dead agent's socket file (ECONNREFUSED), or none any more.
            Close(fd);
            return null;
        }
        return new UnixSocket(fd);
    }

    /// <summary>Writes all of <paramref name="bytes"/>; an <see cref="IOException"/> when the connection is gone.</summary>
    public void Send(ReadOnlySpan<byte> bytes)
    {
        fixed (byte* start = bytes)
        {
            var sent = 0;
            while (sent < bytes.Length)
            {
                var n = Send(_fd, start + sent, bytes.Length - sent, MSG_NOSIGNAL);
                if (n < 0)
                {
                    ThrowUnlessInterrupted("send");
                    continue;
                }
                sent += (int)n;
            }
        }
    }

    /// <summary>Reads what has arrived, waiting for at least one byte; 0 when the other end has closed.</summary>
    public int Receive(Span<byte> buffer)
    {
        fixed (byte* start = buffer)
        {
            while (true)
            {
                var n = Receive(_fd, start, buffer.Length, 0);
                if (n >= 0)
                {
                    return (int)n;
                }
                ThrowUnlessInterrupted("recv");
            }
        }
    }

    private static void ThrowUnlessInterrupted(string call)
    {
        var errno = Marshal.GetLastPInvokeError();
        if (errno != EINTR)
        {
            throw new IOException($"{call}() on the control socket failed: errno {errno}");
        }
    }

    public void Dispose()
    {
        if (_fd >= 0)
        {
            Close(_fd);
            _fd = -1;
        }
    }

    [LibraryImport("libc", EntryPoint = "socket", SetLastError = true)]
    private static partial int Socket(int domain, int type, int protocol);

    [LibraryImport("libc", EntryPoint = "connect", SetLastError = true)]
    private static partial int Connect(int fd, byte* address, int length);

    [LibraryImport("libc", EntryPoint = "send", SetLastError = true)]
    private static partial nint Send(int fd, byte* buffer, nint length, int flags);

    [LibraryImport("libc", EntryPoint = "recv", SetLastError = true)]
    private static partial nint Receive(int fd, byte* buffer, nint length, int flags);

    [LibraryImport("libc", EntryPoint = "close")]
    private static partial int Close(int fd);
}
