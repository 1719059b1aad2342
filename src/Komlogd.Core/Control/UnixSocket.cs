using System.Runtime.InteropServices;
using System.Text;

namespace Komlogd.Core.Control;

/// <summary>
/// A blocking Unix stream socket on libc (<c>socket</c>, <c>bind</c>, <c>listen</c>, <c>accept4</c>,
/// <c>connect</c>, <c>send</c>, <c>recv</c>, <c>shutdown</c>, <c>close</c>): both ends of the control socket,
/// the two short commands' connection (<c>-u</c>, <c>status</c>) and the agent's listener and its clients.
/// </summary>
/// <remarks>
/// Not <see cref="System.Net.Sockets.Socket"/>. In a short command the first one costs about 15 ms before it
/// does anything (the runtime's socket engine and its queue, the sockets telemetry's <c>EventSource</c> built
/// by reflection, a dozen generic methods compiled), a fifth of a <c>komlogd status</c>, for one request and
/// one answer; these calls cost about 1 ms (docs/cli.md, "The short commands' start"). In the agent it was
/// System.Net.Sockets, System.Net.Primitives, the socket engine's epoll thread and their types: a listener
/// serving one client cost a console app 2.4 MiB of PSS, against 0.5 MiB for this, and the agent about 1 MiB
/// once its children's pipes stopped loading them too (docs/benchmarks.md, "The control socket on libc"). Each connection is served by a thread blocked in
/// <c>recv</c> either way (<see cref="Komlogd.Protocol.Channel.RpcChannel"/>'s reader), so the engine bought
/// the agent nothing. Linux's <c>sockaddr_un</c> (a 2-byte family, then a 108-byte path), as komlogd runs on
/// Linux only. The descriptor is a <see cref="SafeHandle"/>: a call in progress on one thread holds it, so a
/// <see cref="Dispose"/> on another closes it only when that call has returned, never while another file
/// could be given its number.
/// </remarks>
internal sealed unsafe partial class UnixSocket : IDisposable
{
    private const int AF_UNIX = 1;
    private const int SOCK_STREAM = 1;
    private const int SOCK_CLOEXEC = 0x80000;
    private const int MSG_NOSIGNAL = 0x4000;
    private const int SHUT_RDWR = 2;
    private const int EINTR = 4;
    private const int ECONNABORTED = 103;
    private const int EINVAL = 22;
    private const int PathBytes = 108;
    private const int AddressBytes = 2 + PathBytes;

    /// <summary>The longest path a Unix socket can have here: <c>sun_path</c> less its terminating NUL.</summary>
    public const int MaxPathBytes = PathBytes - 1;

    private readonly Descriptor _fd;

    private UnixSocket(Descriptor fd) => _fd = fd;

    /// <summary>A connection to <paramref name="path"/>, or null when nobody listens there (or no socket can: a path longer than <see cref="MaxPathBytes"/>).</summary>
    public static UnixSocket? TryConnect(string path)
    {
        var address = stackalloc byte[AddressBytes];
        if (!TryAddress(path, new Span<byte>(address, AddressBytes)))
        {
            return null;
        }
        var socket = Open();
        if (Connect(socket._fd, address, AddressBytes) != 0)
        {
            // A dead agent's socket file (ECONNREFUSED), or none any more.
            socket.Dispose();
            return null;
        }
        return socket;
    }

    /// <summary>A socket listening at <paramref name="path"/>, which must not exist and be at most <see cref="MaxPathBytes"/> long.</summary>
    /// <exception cref="IOException">The socket cannot be made there (the call and the system's reason).</exception>
    public static UnixSocket Listen(string path, int backlog)
    {
        var address = stackalloc byte[AddressBytes];
        if (!TryAddress(path, new Span<byte>(address, AddressBytes)))
        {
            throw new IOException($"{path} is longer than a Unix socket's {MaxPathBytes} bytes");
        }
        var socket = Open();
        if (Bind(socket._fd, address, AddressBytes) != 0 || ListenOn(socket._fd, backlog) != 0)
        {
            var error = Failure("bind/listen", path);
            socket.Dispose();
            throw error;
        }
        return socket;
    }

    /// <summary>
    /// Waits for the next client and returns its connection; null once <see cref="Shutdown"/> or
    /// <see cref="Dispose"/> has ended this listening socket.
    /// </summary>
    /// <exception cref="IOException">Accepting failed, and the socket still listens (out of file descriptors, say).</exception>
    public UnixSocket? Accept()
    {
        while (true)
        {
            int fd;
            try
            {
                fd = Accept4(_fd, null, null, SOCK_CLOEXEC);
            }
            catch (ObjectDisposedException)
            {
                return null;
            }
            if (fd >= 0)
            {
                return new UnixSocket(new Descriptor(fd));
            }
            var errno = Marshal.GetLastPInvokeError();
            if (errno is EINTR or ECONNABORTED)
            {
                continue; // a signal, or a client gone before it was accepted
            }
            if (errno == EINVAL)
            {
                return null; // shut down: Linux says "not listening" to an accept waiting then or after
            }
            throw new IOException($"accept4() on the control socket failed: {Marshal.GetPInvokeErrorMessage(errno)}");
        }
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

    /// <summary>Reads what has arrived, waiting for at least one byte; 0 when the other end has closed (or this one was shut down).</summary>
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

    /// <summary>
    /// Ends both directions: a thread blocked in <see cref="Receive"/> gets 0, one blocked in <see cref="Accept"/>
    /// gets null. The descriptor stays open until <see cref="Dispose"/>. Never throws (not connected any more: nothing to end).
    /// </summary>
    public void Shutdown()
    {
        try
        {
            _ = ShutdownSocket(_fd, SHUT_RDWR);
        }
        catch (ObjectDisposedException)
        {
            // Closed already.
        }
    }

    /// <summary>The connection as a <see cref="System.IO.Stream"/> (for an <see cref="Komlogd.Protocol.Channel.RpcChannel"/>); disposing it disposes this socket.</summary>
    public System.IO.Stream AsStream() => new Stream(this);

    public void Dispose() => _fd.Dispose();

    private static UnixSocket Open()
    {
        var fd = Socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
        if (fd < 0)
        {
            throw new IOException($"socket() failed: {Marshal.GetPInvokeErrorMessage(Marshal.GetLastPInvokeError())}");
        }
        return new UnixSocket(new Descriptor(fd));
    }

    private static bool TryAddress(string path, Span<byte> address)
    {
        address.Clear();
        address[0] = AF_UNIX;
        return Encoding.UTF8.TryGetBytes(path, address.Slice(2, MaxPathBytes), out _);
    }

    private static IOException Failure(string call, string path) =>
        new($"{call} on {path} failed: {Marshal.GetPInvokeErrorMessage(Marshal.GetLastPInvokeError())}");

    private static void ThrowUnlessInterrupted(string call)
    {
        var errno = Marshal.GetLastPInvokeError();
        if (errno != EINTR)
        {
            throw new IOException($"{call}() on the control socket failed: {Marshal.GetPInvokeErrorMessage(errno)} (errno {errno})");
        }
    }

    /// <summary>A socket's file descriptor, closed once no call holds it.</summary>
    private sealed class Descriptor : SafeHandle
    {
        public Descriptor(int fd)
            : base(-1, ownsHandle: true) => SetHandle(fd);

        public override bool IsInvalid => handle < 0;

        protected override bool ReleaseHandle() => CloseDescriptor((int)handle) == 0;
    }

    /// <summary>
    /// The connection as a stream: reads are <c>recv</c>, writes <c>send</c>; nothing is buffered. A call on a
    /// socket disposed meanwhile throws <see cref="ObjectDisposedException"/>, as a stream's caller expects.
    /// </summary>
    private sealed class Stream(UnixSocket socket) : System.IO.Stream
    {
        public override bool CanRead => true;

        public override bool CanWrite => true;

        public override bool CanSeek => false;

        public override long Length => throw new NotSupportedException();

        public override long Position
        {
            get => throw new NotSupportedException();
            set => throw new NotSupportedException();
        }

        public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

        public override int Read(Span<byte> buffer) => socket.Receive(buffer);

        public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

        public override void Write(ReadOnlySpan<byte> buffer) => socket.Send(buffer);

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        protected override void Dispose(bool disposing)
        {
            if (disposing)
            {
                socket.Dispose();
            }
            base.Dispose(disposing);
        }
    }

    [LibraryImport("libc", EntryPoint = "socket", SetLastError = true)]
    private static partial int Socket(int domain, int type, int protocol);

    [LibraryImport("libc", EntryPoint = "connect", SetLastError = true)]
    private static partial int Connect(SafeHandle fd, byte* address, int length);

    [LibraryImport("libc", EntryPoint = "bind", SetLastError = true)]
    private static partial int Bind(SafeHandle fd, byte* address, int length);

    [LibraryImport("libc", EntryPoint = "listen", SetLastError = true)]
    private static partial int ListenOn(SafeHandle fd, int backlog);

    [LibraryImport("libc", EntryPoint = "accept4", SetLastError = true)]
    private static partial int Accept4(SafeHandle fd, byte* address, int* length, int flags);

    [LibraryImport("libc", EntryPoint = "send", SetLastError = true)]
    private static partial nint Send(SafeHandle fd, byte* buffer, nint length, int flags);

    [LibraryImport("libc", EntryPoint = "recv", SetLastError = true)]
    private static partial nint Receive(SafeHandle fd, byte* buffer, nint length, int flags);

    [LibraryImport("libc", EntryPoint = "shutdown", SetLastError = true)]
    private static partial int ShutdownSocket(SafeHandle fd, int how);

    [LibraryImport("libc", EntryPoint = "close")]
    private static partial int CloseDescriptor(int fd);
}
