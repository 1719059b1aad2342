using System.Runtime.InteropServices;
using System.Text;

namespace Kpack.Linux.Proc;

/// <summary>
/// Reads a /proc or /sys file with libc's <c>open</c> and <c>read</c> into a buffer kept between reads, so a
/// read leaves only the file's text behind. <see cref="File.ReadAllText(string)"/> makes a stream, a
/// <see cref="StreamReader"/> with its byte and char buffers and a builder for each file (7–23 KiB a file here,
/// half of a collection's garbage), and a file the kernel refuses to read (a virtual interface's
/// <c>speed</c>: EINVAL) costs it an exception; here it is a null.
/// </summary>
/// <remarks>
/// Linux only, as the rest of the /proc path. Reads that overlap (two collections at once) each get a buffer:
/// the kept one is taken, not shared.
/// </remarks>
internal sealed class ProcFile
{
    private const int ReadOnly = 0;
    private const int CloseOnExec = 0x80000; // O_CLOEXEC on Linux (x86-64, arm64)
    private const int Interrupted = 4; // EINTR

    private byte[]? _buffer = new byte[16 * 1024];

    /// <summary>The file's text (UTF-8), or null when it cannot be opened or read.</summary>
    public string? ReadText(string path)
    {
        var buffer = Interlocked.Exchange(ref _buffer, null) ?? new byte[16 * 1024];
        try
        {
            var fd = NativeMethods.open(path, ReadOnly | CloseOnExec);
            if (fd < 0)
            {
                return null;
            }
            try
            {
                var length = 0;
                while (true)
                {
                    if (length == buffer.Length)
                    {
                        Array.Resize(ref buffer, buffer.Length * 2);
                    }
                    var n = NativeMethods.read(fd, ref buffer[length], buffer.Length - length);
                    if (n == 0)
                    {
                        return Encoding.UTF8.GetString(buffer, 0, length);
                    }
                    if (n < 0)
                    {
                        if (Marshal.GetLastPInvokeError() == Interrupted)
                        {
                            continue;
                        }
                        return null;
                    }
                    length += (int)n;
                }
            }
            finally
            {
                _ = NativeMethods.close(fd);
            }
        }
        finally
        {
            _buffer = buffer;
        }
    }

    private static class NativeMethods
    {
        [DllImport("libc", SetLastError = true, CharSet = CharSet.Ansi, BestFitMapping = false, ThrowOnUnmappableChar = true)]
        [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
        public static extern int open([MarshalAs(UnmanagedType.LPUTF8Str)] string path, int flags);

        [DllImport("libc", SetLastError = true)]
        [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
        public static extern nint read(int fd, ref byte buffer, nint count);

        [DllImport("libc")]
        [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
        public static extern int close(int fd);
    }
}
