using System.Runtime.InteropServices;
using System.Text;

namespace Komlogd.Core.Cli;

/// <summary>
/// What is on standard input, as the original asked: <c>cmd | komlogd -u uri</c> reads it; data piped to
/// a plain <c>komlogd</c> is a mistake; a terminal, /dev/null or an empty pipe is no input.
/// </summary>
internal static partial class Stdin
{
    /// <summary>True when stdin is a pipe, socket or file (something that may carry data), not a terminal or /dev/null.</summary>
    public static bool MayCarryData()
    {
        if (!Console.IsInputRedirected)
        {
            return false;
        }
        var target = new FileInfo("/proc/self/fd/0").LinkTarget;
        return target is not null && target != "/dev/null";
    }

    /// <summary>
    /// Whether data arrives on stdin within <paramref name="wait"/>: used only to refuse piped data without
    /// <c>-u</c>. A writer slower than that is missed, which only skips the error, never loses data.
    /// </summary>
    public static bool HasDataWithin(TimeSpan wait)
    {
        if (!MayCarryData())
        {
            return false;
        }
        var fd = new PollFd { Fd = 0, Events = PollIn };
        if (Poll(ref fd, 1, (int)wait.TotalMilliseconds) <= 0 || (fd.Revents & PollIn) == 0)
        {
            return false;
        }
        // Readable: either data or end of input (then Read returns 0 at once).
        var one = new byte[1];
        return Console.OpenStandardInput().Read(one, 0, 1) > 0;
    }

    /// <summary>
    /// Reads all of stdin as UTF-8 text, at most <paramref name="maxBytes"/>. Null when there is no input.
    /// </summary>
    /// <exception cref="KomlogdException">Too long, or not UTF-8.</exception>
    public static string? ReadText(int maxBytes)
    {
        if (!MayCarryData())
        {
            return null;
        }
        using var input = Console.OpenStandardInput();
        var buffer = new MemoryStream();
        var chunk = new byte[81920];
        int n;
        while ((n = input.Read(chunk, 0, chunk.Length)) > 0)
        {
            buffer.Write(chunk, 0, n);
            if (buffer.Length > maxBytes)
            {
                throw new KomlogdException($"input is larger than {maxBytes} bytes (128 KiB), the limit of a text sample; nothing was stored");
            }
        }
        if (buffer.Length == 0)
        {
            return null;
        }
        try
        {
            return new UTF8Encoding(false, throwOnInvalidBytes: true).GetString(buffer.GetBuffer(), 0, (int)buffer.Length);
        }
        catch (DecoderFallbackException)
        {
            throw new KomlogdException("input is not valid UTF-8 text; nothing was stored");
        }
    }

    private const short PollIn = 0x001;

    [StructLayout(LayoutKind.Sequential)]
    private struct PollFd
    {
        public int Fd;
        public short Events;
        public short Revents;
    }

    [LibraryImport("libc", EntryPoint = "poll", SetLastError = true)]
    private static partial int Poll(ref PollFd fds, nuint count, int timeoutMs);
}
