using System.Runtime.InteropServices;
using System.Text;
using Microsoft.Win32.SafeHandles;
using Serilog.Core;
using Serilog.Debugging;
using Serilog.Events;
using Serilog.Formatting;

namespace Komlogd.Core.Logging;

/// <summary>
/// The log file, rotated as the original's Python <c>RotatingFileHandler</c> did: the live file keeps its
/// name (<c>komlogd.log</c>), and when an event would take it to <c>max_bytes</c> it becomes
/// <c>komlogd.log.1</c>, the older ones move up to <c>komlogd.log.N</c> (<c>backup_count</c>) and the oldest
/// goes. So <c>tail -f</c>, <c>komlogd logs</c> and the console always read the file being written
/// (docs/configuration.md, "logging").
/// </summary>
/// <remarks>
/// <para>
/// Every process that logs here appends (the agent, and commands such as <c>-u</c> and <c>install</c>): the
/// file is opened with <c>O_APPEND</c>, so each event is one <c>write</c> at the end of the file whoever wrote
/// last; a <see cref="FileStream"/> keeps its own position and would write over another process's lines. Only
/// the agent rotates (<paramref name="rotate"/>): a command logs a few lines and is gone, and two processes
/// renaming the same files at once would lose one's backups.
/// </para>
/// <para>
/// Not Serilog.Sinks.File's rolling file: it names the files <c>komlogd_001.log</c> … and writes to the
/// newest, so the configured name stopped being the live file after the first roll; and it builds a regex to
/// find its old files, which was all the agent loaded System.Text.RegularExpressions for (docs/benchmarks.md).
/// A failed write throws to Serilog, which reports it on its SelfLog and goes on; the file is opened again
/// for the next event (a full disk that was freed, a directory that was removed). A rotation that fails is
/// reported there too, and the event is written to the live file all the same.
/// </para>
/// </remarks>
/// <param name="path">The live file.</param>
/// <param name="formatter">Renders an event as its line(s).</param>
/// <param name="maxBytes">Rotate before an event that would take the file to this size; null: never.</param>
/// <param name="backupCount">Rotated files kept besides the live one; 0: the live file starts anew.</param>
/// <param name="rotate">This process rotates (the agent); false: it only appends.</param>
internal sealed partial class RotatingFileSink(string path, ITextFormatter formatter, long? maxBytes, int backupCount, bool rotate) : ILogEventSink, IDisposable
{
    private const int OWronly = 0x1, OCreat = 0x40, OAppend = 0x400, OCloexec = 0x80000;

    private readonly Lock _gate = new();
    private readonly StringWriter _text = new(System.Globalization.CultureInfo.InvariantCulture);
    private SafeFileHandle? _file;

    public void Emit(LogEvent logEvent)
    {
        lock (_gate)
        {
            _text.GetStringBuilder().Clear();
            formatter.Format(logEvent, _text);
            var bytes = Encoding.UTF8.GetBytes(_text.GetStringBuilder().ToString());
            try
            {
                var file = _file ??= Open(path);
                // As Python's shouldRollover: never an empty file, so an event larger than max_bytes is still written.
                if (rotate && maxBytes is { } max && RandomAccess.GetLength(file) is var length and > 0 && length + bytes.Length >= max)
                {
                    try
                    {
                        Rotate();
                    }
                    catch (Exception e) when (e is IOException or UnauthorizedAccessException)
                    {
                        // The event still goes to the live file, past max_bytes; the next one tries again.
                        SelfLog.WriteLine("{0}: cannot rotate: {1}", path, e.Message);
                    }
                    file = _file = Open(path);
                }
                Append(file, bytes);
            }
            catch
            {
                Close();
                throw;
            }
        }
    }

    public void Dispose()
    {
        lock (_gate)
        {
            Close();
        }
    }

    /// <summary><c>komlogd.log.{N-1}</c> → <c>.N</c> … <c>komlogd.log</c> → <c>.1</c>; with no backups the live file goes.</summary>
    private void Rotate()
    {
        Close();
        if (backupCount == 0)
        {
            File.Delete(path);
            return;
        }
        for (var i = backupCount - 1; i >= 1; i--)
        {
            var older = $"{path}.{i}";
            if (File.Exists(older))
            {
                File.Move(older, $"{path}.{i + 1}", overwrite: true);
            }
        }
        File.Move(path, path + ".1", overwrite: true);
    }

    private void Close()
    {
        _file?.Dispose();
        _file = null;
    }

    private static SafeFileHandle Open(string path)
    {
        var fd = OpenFile(path, OWronly | OCreat | OAppend | OCloexec, Convert.ToInt32("644", 8));
        if (fd < 0)
        {
            var errno = Marshal.GetLastPInvokeError();
            throw new IOException($"{path}: cannot open: {Marshal.GetPInvokeErrorMessage(errno)}", errno);
        }
        return new SafeFileHandle(fd, ownsHandle: true);
    }

    private unsafe void Append(SafeFileHandle file, byte[] bytes)
    {
        fixed (byte* start = bytes)
        {
            for (nint done = 0; done < bytes.Length;)
            {
                var n = Write(file, start + done, bytes.Length - done);
                if (n < 0)
                {
                    var errno = Marshal.GetLastPInvokeError();
                    if (errno == 4)
                    {
                        continue; // EINTR
                    }
                    throw new IOException($"{path}: cannot write: {Marshal.GetPInvokeErrorMessage(errno)}", errno);
                }
                done += n;
            }
        }
    }

    [LibraryImport("libc", EntryPoint = "open", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int OpenFile(string path, int flags, int mode);

    [LibraryImport("libc", EntryPoint = "write", SetLastError = true)]
    private static unsafe partial nint Write(SafeFileHandle fd, byte* buffer, nint length);
}
