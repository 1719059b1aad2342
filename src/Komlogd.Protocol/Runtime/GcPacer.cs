namespace Komlogd.Protocol.Runtime;

/// <summary>
/// A gen0 budget for a process whose runtime cannot be given one. The GC sizes gen0 from the L3 cache (tens of
/// MiB on this machine's 32 MiB) and reads a smaller budget (<c>GCGen0MaxBudget</c>) from the environment alone: the
/// agent gives its hosts one (<c>PluginHostChild.RuntimeEnvironment</c>), but the agent itself is started by
/// its user or systemd. An agent with kpack_linux, which allocates about a MiB a minute, had made no collection
/// 9 minutes after its start, its heap growing 4 MiB at a time (docs/benchmarks.md, "An idle agent's timers").
/// <see cref="AfterWork()"/>, called after a unit of work, collects gen0 when more than <see cref="Budget"/> was
/// allocated since the last collection and none has come for <see cref="Quiet"/>: a busy process collects on
/// its own long before that, and is never made to collect more often than that.
/// </summary>
internal static class GcPacer
{
    public const long Budget = 2L << 20;
    public static readonly TimeSpan Quiet = TimeSpan.FromSeconds(30);

    private static readonly Lock s_gate = new();
    private static int s_count = -1;
    private static long s_allocated;
    private static long s_since;

    /// <summary>Collects gen0 if it is due (see the class); true when it did.</summary>
    public static bool AfterWork() => AfterWork(Budget, Quiet);

    /// <summary><see cref="AfterWork()"/> with this budget and quiet time (tests).</summary>
    internal static bool AfterWork(long budget, TimeSpan quiet)
    {
        lock (s_gate)
        {
            var count = GC.CollectionCount(0);
            var allocated = GC.GetTotalAllocatedBytes(precise: false);
            var now = Environment.TickCount64;
            if (count != s_count)
            {
                // A collection came since the last look: the budget counts from here.
                (s_count, s_allocated, s_since) = (count, allocated, now);
                return false;
            }
            if (allocated - s_allocated < budget || now - s_since < (long)quiet.TotalMilliseconds)
            {
                return false;
            }
            GC.Collect(0, GCCollectionMode.Forced, blocking: true);
            (s_count, s_allocated, s_since) = (GC.CollectionCount(0), GC.GetTotalAllocatedBytes(precise: false), Environment.TickCount64);
            return true;
        }
    }
}
