using System.Runtime.InteropServices;

namespace Komlogd.Protocol.Runtime;

/// <summary>
/// Gives the C heap's free pages back to the system after a burst of work. The JIT, the type loader and
/// OpenSSL allocate through <c>malloc</c>; glibc keeps what they free in the arena of the thread that freed it
/// and returns only the top of an arena. Measured by calling <c>malloc_trim(0)</c> from gdb: a plugin host
/// 75 s after its start gave back 2.2 MiB, an agent after its start 1 MiB, an agent after an install 2.2 MiB
/// (docs/benchmarks.md, "The installer in a child, the C heap's free pages"). <c>malloc_trim(0)</c> releases them
/// (<c>MADV_DONTNEED</c> on every free page of every arena). Without glibc's <c>malloc_trim</c> (musl) it does nothing.
/// The JIT frees its memory late: it keeps the slabs of a compilation in a cache of its own (up to 16 MiB,
/// <c>JitHost::freeSlab</c>) that the finalizer thread empties, in two steps at least 2 s apart
/// (<c>JitHost::reclaim</c>), only when it runs after a collection. A kpack_linux child four minutes after its
/// start held 2.4 MiB in one arena, 2.1 MiB of it free, until a <c>malloc_trim</c> from gdb (docs/benchmarks.md,
/// "An idle agent's timers"). The hosts run without that cache (<c>PluginHostChild.RuntimeEnvironment</c>), so
/// their compiler frees as each compilation ends, on whichever thread compiled (the start-up profile compiles on
/// a thread of its own, after the trim that follows the load); <see cref="TrimAfterCompilation"/> therefore trims
/// once more <see cref="JitCacheDelay"/> later.
/// </summary>
internal static class NativeHeap
{
    /// <summary>How long after a compilation the second trim comes: what other threads were still compiling has been freed by then.</summary>
    public static readonly TimeSpan JitCacheDelay = TimeSpan.FromSeconds(25);

    private static int s_unsupported;
    private static long s_compiledAtLastTrim = -1;
    private static readonly Lazy<Timer> s_later = new(() => new Timer(static _ => TrimLate()));
    private static int s_startReleased;

    /// <summary>Trims the C heap; false where there is nothing to call or nothing was released.</summary>
    public static bool Trim()
    {
        if (Volatile.Read(ref s_unsupported) != 0)
        {
            return false;
        }
        try
        {
            return MallocTrim(0) == 1;
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
        {
            Volatile.Write(ref s_unsupported, 1);
            return false;
        }
    }

    /// <summary>
    /// Trims, now and <see cref="JitCacheDelay"/> later, when the JIT has compiled something since the last
    /// call that did: a first run of a path is where the compiler's freed memory piles up; a steady state
    /// compiles nothing and costs one counter read (and no timer).
    /// </summary>
    public static bool TrimAfterCompilation()
    {
        var compiled = System.Runtime.JitInfo.GetCompiledMethodCount(currentThread: false);
        if (Interlocked.Exchange(ref s_compiledAtLastTrim, compiled) == compiled)
        {
            return false;
        }
        TrimLater(JitCacheDelay);
        return Trim();
    }

    /// <summary>
    /// The delayed trim. The first one of the process also gives the GC's free regions back: a full, compacting
    /// collection in <see cref="GCCollectionMode.Aggressive"/> mode, which decommits what the start grew the heap
    /// to (the configuration, the store's schema, a package's load and first runs allocate more than the steady
    /// state holds; the GC would keep those regions committed for later allocations). Once: later ones come after
    /// a path's first runs, when the heap is already its steady size, and a collection costs CPU.
    /// </summary>
    private static void TrimLate()
    {
        if (Interlocked.Exchange(ref s_startReleased, 1) == 0)
        {
            ReleaseGcHeap();
        }
        Trim();
    }

    /// <summary>A full, compacting collection that decommits the GC heap's free regions.</summary>
    internal static void ReleaseGcHeap() => GC.Collect(2, GCCollectionMode.Aggressive, blocking: true, compacting: true);

    /// <summary>Trims once after <paramref name="delay"/> (a later call moves it; one timer for the process).</summary>
    internal static void TrimLater(TimeSpan delay)
    {
        if (Volatile.Read(ref s_unsupported) == 0)
        {
            s_later.Value.Change(delay, Timeout.InfiniteTimeSpan);
        }
    }

    /// <summary>
    /// One C heap (arena) for every thread that allocates from now on, as <c>MALLOC_ARENA_MAX=1</c> gives the
    /// hosts from their start (<c>PluginHostChild.RuntimeEnvironment</c>): glibc otherwise makes an arena for each
    /// thread that allocates while another holds the lock, up to eight per core, each keeping free pages of its
    /// own. For the agent, which its user starts: the runtime's own threads already have theirs; the pool's, the
    /// channels' and the control socket's, started after, share the main one. False without glibc's <c>mallopt</c>.
    /// </summary>
    public static bool OneArena()
    {
        try
        {
            return MallOpt(MArenaMax, 1) == 1;
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
        {
            return false;
        }
    }

    private const int MArenaMax = -8;

    [DllImport("libc", EntryPoint = "malloc_trim")]
    private static extern int MallocTrim(nuint pad);

    [DllImport("libc", EntryPoint = "mallopt")]
    private static extern int MallOpt(int param, int value);
}
