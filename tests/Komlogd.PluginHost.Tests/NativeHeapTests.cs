using System.Runtime.InteropServices;
using Komlogd.Protocol.Runtime;

namespace Komlogd.PluginHost.Tests;

/// <summary>
/// <see cref="NativeHeap.Trim"/> against glibc: what a thread freed below a block it still holds stays
/// resident (glibc returns only an arena's top) until the trim gives the pages back.
/// </summary>
/// <remarks>
/// Not in parallel with the other tests of this process: their transfer-method runs trim the same heap.
/// </remarks>
[Collection(nameof(NativeHeapTests))]
public sealed class NativeHeapTests
{
    private const int Blocks = 4096;
    private const int BlockSize = 4096;

    [Fact]
    public void TrimGivesBackThePagesAThreadFreedBelowABlockItStillHolds()
    {
        NativeHeap.TrimLater(Timeout.InfiniteTimeSpan); // no later trim asked for by another test in the middle
        long before = 0, freed = 0, trimmed = 0;
        var released = false;
        var thread = new Thread(() =>
        {
            var (blocks, pin) = AllocateBelowAPin();
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

    /// <summary>
    /// What the JIT does: its slabs go back to the C heap seconds after the compilation, when the finalizer
    /// empties its cache. A trim asked for before they were freed gives them back when it comes.
    /// </summary>
    [Fact]
    public async Task ALaterTrimGivesBackWhatWasFreedAfterItWasAskedFor()
    {
        NativeHeap.TrimLater(Timeout.InfiniteTimeSpan);
        using var freed = new ManualResetEventSlim();
        using var done = new ManualResetEventSlim();
        long before = 0, afterFree = 0;
        var thread = new Thread(() =>
        {
            var (blocks, pin) = AllocateBelowAPin();
            before = ResidentBytes();
            NativeHeap.TrimLater(TimeSpan.FromSeconds(2));
            foreach (var block in blocks)
            {
                Free(block);
            }
            afterFree = ResidentBytes();
            freed.Set();
            done.Wait();
            Free(pin);
        });
        thread.Start();
        try
        {
            Assert.True(freed.Wait(TimeSpan.FromSeconds(30)));
            const long heap = (long)Blocks * BlockSize;
            Assert.True(before - afterFree < heap / 4, $"free alone gave back {(before - afterFree) >> 10} KiB of {heap >> 10}");
            // No trim is called from here: only the one asked for before the free can give the pages back.
            var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
            while (afterFree - ResidentBytes() < heap / 2 && DateTime.UtcNow < deadline)
            {
                await Task.Delay(100);
            }
            Assert.True(afterFree - ResidentBytes() > heap / 2, $"the later trim gave back {(afterFree - ResidentBytes()) >> 10} KiB of {heap >> 10} freed");
        }
        finally
        {
            done.Set();
            thread.Join();
        }
    }

    /// <summary>
    /// The first later trim's collection (<see cref="NativeHeap.ReleaseGcHeap"/>): what the start's garbage grew
    /// the GC heap to is decommitted, not kept for later allocations.
    /// </summary>
    [Fact]
    public void TheGcHeapsFreeRegionsAreGivenBack()
    {
        const long garbage = 32L << 20;
        var kept = new List<byte[]>();
        for (long n = 0; n < garbage; n += 64 << 10)
        {
            kept.Add(new byte[64 << 10]);
        }
        var grown = GC.GetGCMemoryInfo(GCKind.Any).TotalCommittedBytes;
        kept.Clear();

        NativeHeap.ReleaseGcHeap();

        var after = GC.GetGCMemoryInfo(GCKind.Any).TotalCommittedBytes;
        Assert.True(grown - after > garbage / 2, $"committed {grown >> 20} MiB with the garbage, {after >> 20} MiB after the collection");
    }

    /// <summary>
    /// <see cref="Blocks"/> touched blocks, and one more above them all: the arena's top cannot shrink past it,
    /// so freeing the blocks alone returns nothing to the system.
    /// </summary>
    private static (IntPtr[] Blocks, IntPtr Pin) AllocateBelowAPin()
    {
        var blocks = new IntPtr[Blocks];
        for (var i = 0; i < Blocks; i++)
        {
            blocks[i] = Malloc(BlockSize);
            Marshal.WriteByte(blocks[i], 0, 1);
            Marshal.WriteByte(blocks[i], BlockSize - 1, 1);
        }
        return (blocks, Malloc(BlockSize));
    }

    /// <summary>Resident set of this process, bytes (<c>/proc/self/statm</c>, second field, in pages).</summary>
    private static long ResidentBytes() =>
        long.Parse(File.ReadAllText("/proc/self/statm").Split(' ')[1], System.Globalization.CultureInfo.InvariantCulture) * Environment.SystemPageSize;

    [DllImport("libc", EntryPoint = "malloc")]
    private static extern IntPtr Malloc(nuint size);

    [DllImport("libc", EntryPoint = "free")]
    private static extern void Free(IntPtr block);
}

[CollectionDefinition(nameof(NativeHeapTests), DisableParallelization = true)]
public sealed class NativeHeapCollection;
