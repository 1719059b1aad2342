using Komlogd.Protocol.Runtime;

namespace Komlogd.PluginHost.Tests;

/// <summary>
/// <see cref="GcPacer"/> against this process's real GC: a gen0 collection once the budget is spent and the
/// quiet time has passed, none sooner. Alone (the collection that runs nothing beside it): another test's
/// allocations would bring collections of their own.
/// </summary>
[Collection(nameof(NativeHeapTests))]
public sealed class GcPacerTests
{
    private const long Budget = 1L << 20;

    [Fact]
    public void AProcessThatSpentItsBudgetWithoutACollectionGetsOneAndOnlyOne()
    {
        var collections = SpendWithoutACollection(TimeSpan.Zero);

        Assert.True(GcPacer.AfterWork(Budget, TimeSpan.Zero), "no collection after the budget was spent");
        Assert.True(GC.CollectionCount(0) > collections);
        // Nothing allocated since: nothing to collect.
        Assert.False(GcPacer.AfterWork(Budget, TimeSpan.Zero));
    }

    [Fact]
    public void NoCollectionBeforeTheQuietTimeHasPassed()
    {
        var collections = SpendWithoutACollection(TimeSpan.FromHours(1));

        Assert.False(GcPacer.AfterWork(Budget, TimeSpan.FromHours(1)));
        Assert.Equal(collections, GC.CollectionCount(0));
    }

    [Fact]
    public void LessThanTheBudgetIsLeftToTheRuntime()
    {
        GC.Collect();
        Assert.False(GcPacer.AfterWork(Budget, TimeSpan.Zero));
        var collections = GC.CollectionCount(0);
        Garbage(Budget / 4);
        Assert.False(GcPacer.AfterWork(Budget, TimeSpan.Zero));
        Assert.Equal(collections, GC.CollectionCount(0));
    }

    /// <summary>
    /// A collection, the pacer's first look after it, then 1.5 budgets of garbage with no collection of the
    /// runtime's own in between (tried again if one came); returns the gen0 count.
    /// </summary>
    private static int SpendWithoutACollection(TimeSpan quiet)
    {
        for (var attempt = 0; attempt < 10; attempt++)
        {
            GC.Collect();
            Assert.False(GcPacer.AfterWork(Budget, quiet)); // the collection seen: the budget counts from here
            var collections = GC.CollectionCount(0);
            Garbage(Budget * 3 / 2);
            if (GC.CollectionCount(0) == collections)
            {
                return collections;
            }
        }
        throw new InvalidOperationException("the runtime collected during every attempt to spend 1.5 MiB: its gen0 budget is below that here");
    }

    private static void Garbage(long bytes)
    {
        // Small arrays (under the large-object threshold): gen0 allocations, as a process's work makes them.
        for (long made = 0; made < bytes; made += 8 * 1024)
        {
            GC.KeepAlive(new byte[8 * 1024]);
        }
    }
}
