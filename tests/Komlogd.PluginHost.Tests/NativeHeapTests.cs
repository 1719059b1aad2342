using System.Runtime.InteropServices;
using Komlogd.Protocol.Runtime;

namespace Komlogd.PluginHost.Tests;

/// <summary>
/// <see cref="NativeHeap.Trim"/> against glibc: what a thread freed below a block it still holds stays
/// resident (glibc returns only an arena's top) until the trim gives the pages back.
/// </summary>
public sealed class NativeHeapTests
{
    private const int Blocks = 4096;
    private const int BlockSize = 4096;

    [Fact]
    public void TrimGivesBackThePagesAThreadFreedBelowABlockItStillHolds()
    {
        long before = 0, freed = 0, trimmed = 0;
        var released = false;
        var thread = new Thread(() =>
        {
            var blocks = new IntPtr[Blocks];
            for (var i = 0; i < Blocks; i++)
            {
                blocks[i] = Malloc(BlockSize);
                Marshal.WriteByte(blocks[i], 0, 1);
                Marshal.WriteByte(blocks[i], BlockSize - 1, 1);
            }
            // Above them all: the arena's top cannot shrink past it, so freeing the rest returns nothing.
            var pin = Malloc(BlockSize);
            before = ResidentBytes();
            foreach (var block in blocks)
            {
                Free(block);
            }
            freed = ResidentBytes();
            released = NativeHeap.Trim();
            trimmed = ResidentBytes();
            Free(pin);
        });
        thread.Start();
        thread.Join();

        const long heap = (long)Blocks * BlockSize;
        Assert.True(released, "malloc_trim released nothing");
        Assert.True(before - freed < heap / 4, $"free alone gave back {(before - freed) >> 10} KiB of {heap >> 10}");
        Assert.True(freed - trimmed > heap / 2, $"the trim gave back {(freed - trimmed) >> 10} KiB of {heap >> 10} freed");
    }

    /// <summary>Resident set of this process, bytes (<c>/proc/self/statm</c>, second field, in pages).</summary>
    private static long ResidentBytes() =>
        long.Parse(File.ReadAllText("/proc/self/statm").Split(' ')[1], System.Globalization.CultureInfo.InvariantCulture) * Environment.SystemPageSize;

    [DllImport("libc", EntryPoint = "malloc")]
    private static extern IntPtr Malloc(nuint size);

    [DllImport("libc", EntryPoint = "free")]
    private static extern void Free(IntPtr block);
}
