using CliWrap;
using CliWrap.Buffered;

namespace Komlogd.TestKit;

/// <summary>
/// A small tmpfs mounted over a directory, for tests of a full disk (needs root, as CI and this machine run).
/// Unmounted (lazily, so a process still holding a file does not keep it) when disposed.
/// </summary>
public sealed class SmallDisk : IAsyncDisposable
{
    private SmallDisk(string path) => Path = path;

    public string Path { get; }

    /// <summary>Mounts a tmpfs of <paramref name="size"/> (mount's syntax: 8m) over <paramref name="path"/>; null and why not when it cannot.</summary>
    public static async Task<(SmallDisk? Disk, string Why)> TryMountAsync(string path, string size)
    {
        Directory.CreateDirectory(path);
        try
        {
            var result = await Cli.Wrap("mount").WithArguments(["-t", "tmpfs", "-o", $"size={size},mode=0700", "tmpfs", path])
                .WithValidation(CommandResultValidation.None).ExecuteBufferedAsync().ConfigureAwait(false);
            return result.ExitCode == 0 ? (new SmallDisk(path), "") : (null, $"mount -t tmpfs failed: {result.StandardError.Trim()}");
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            return (null, $"no mount command: {e.Message}");
        }
    }

    /// <summary>Writes a file of zeros into the disk until it is full; returns its path.</summary>
    public string Fill()
    {
        var filler = System.IO.Path.Combine(Path, "filler");
        var block = new byte[64 * 1024];
        using var stream = new FileStream(filler, FileMode.Create, FileAccess.Write, FileShare.None, 1, FileOptions.WriteThrough);
        try
        {
            while (true)
            {
                stream.Write(block);
            }
        }
        catch (IOException)
        {
            // ENOSPC: full. The last partial block may not fit either; write byte by byte to the last one.
            try
            {
                while (true)
                {
                    stream.WriteByte(0);
                    stream.Flush();
                }
            }
            catch (IOException)
            {
            }
        }
        return filler;
    }

    public async ValueTask DisposeAsync() =>
        await Cli.Wrap("umount").WithArguments(["-l", Path]).WithValidation(CommandResultValidation.None).ExecuteBufferedAsync().ConfigureAwait(false);
}
