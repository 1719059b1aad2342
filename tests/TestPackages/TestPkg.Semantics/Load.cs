using Komlogd.Sdk;

[assembly: KomlogdPackage(typeof(TestPkg.Semantics.Load))]

namespace TestPkg.Semantics;

/// <summary>Transfer methods as the original ran them: on their own writes, on load only, on a global uri.</summary>
public sealed class Load : IKomlogdPackage
{
    private static int _loops;

    public Task LoadAsync(IKomlogdContext context, CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>
    /// Writes to its own activation uri (the next millisecond, the value plus one) and counts its runs in
    /// loop.runs: it runs once per outside write of loop.in, never on its own.
    /// </summary>
    [TransferMethod, OnUpdateSchedule("loop.in")]
    public static void Loop(DateTimeOffset t, IReadOnlyList<Sample> updated)
    {
        var n = Interlocked.Increment(ref _loops);
        new Datapoint("loop.in").Insert(t.AddMilliseconds(1), (decimal)updated[0].Value + 1);
        new Datapoint("loop.runs").Insert(t, n);
    }

    /// <summary>Another method on loop.in: it does run on Loop's writes.</summary>
    [TransferMethod, OnUpdateSchedule("loop.in")]
    public static void Follow(IReadOnlyList<Sample> updated)
    {
        foreach (var s in updated)
        {
            new Datapoint("loop.followed").Insert(s.T, (decimal)s.Value);
        }
    }

    /// <summary>Once, on load.</summary>
    [TransferMethod, DummySchedule]
    public static void Once(DateTimeOffset t) => new Datapoint("once.ran").Insert(t, 1);

    /// <summary>On the agent user's global uri: a write of the local uri runs it, and it hears the uri as it asked.</summary>
    [TransferMethod, OnUpdateSchedule("alice:glob.in")]
    public static void Global(DateTimeOffset t, IReadOnlyList<Sample> updated) =>
        new Datasource("glob.seen").Insert(t, updated[0].Metric.Uri);
}
