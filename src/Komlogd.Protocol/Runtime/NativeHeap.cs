using System.Runtime.InteropServices;

namespace Komlogd.Protocol.Runtime;

/// <summary>
/// Gives the C heap's free pages back to the system after a burst of work. The JIT, the type loader and
/// OpenSSL allocate through <c>malloc</c>; glibc keeps what they free in the arena of the thread that freed it
/// and returns only the top of an arena. Measured by calling <c>malloc_trim(0)</c> from gdb: a plugin host
/// 75 s after its start gave back 2.2 MiB, an agent after its start 1 MiB, an agent after an install 2.2 MiB
/// (docs/benchmarks.md, "The installer in a child, the C heap's free pages"). <c>malloc_trim(0)</c> releases them
/// (<c>MADV_DONTNEED</c> on every free page of every arena). Without glibc's <c>malloc_trim</c> (musl) it does nothing.
/// </summary>
internal static class NativeHeap
{
    private static int s_unsupported;
    private static long s_compiledAtLastTrim = -1;

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
    /// Trims when the JIT has compiled something since the last trim made here: a first run of a path is where
    /// the compiler's freed memory piles up; a steady state compiles nothing and costs one counter read.
    /// </summary>
    public static bool TrimAfterCompilation()
    {
        var compiled = System.Runtime.JitInfo.GetCompiledMethodCount(currentThread: false);
        return Interlocked.Exchange(ref s_compiledAtLastTrim, compiled) != compiled && Trim();
    }

    [DllImport("libc", EntryPoint = "malloc_trim")]
    private static extern int MallocTrim(nuint pad);
}
