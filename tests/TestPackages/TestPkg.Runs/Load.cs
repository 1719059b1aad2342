using Komlogd.Sdk;

[assembly: KomlogdPackage(typeof(TestPkg.Runs.Load))]

namespace TestPkg.Runs;

/// <summary>
/// A transfer method that runs back to back: run k inserts k into runs.p&lt;host pid&gt;.n, waits a little
/// (heeding the stop), inserts runs.tock and logs "run k finished" as its last act; a second method answers
/// each tock with the next tick, which triggers run k+1 (a method's own writes never run it again,
/// docs/protocol.md, "Self-triggering", so the two take turns). So after any stop, the values stored are exactly the runs logged as finished: a run that returned is
/// never lost, and a run the stop abandoned commits nothing (SignalTests).
/// </summary>
public sealed class Load : IKomlogdPackage
{
    private static readonly string Prefix = $"runs.p{Environment.ProcessId}";
    private static IKomlogdLog? log;
    private static int runs;

    public Task LoadAsync(IKomlogdContext context, CancellationToken cancellationToken)
    {
        log = context.Log;
        return Task.CompletedTask;
    }

    [TransferMethod]
    [OnUpdateSchedule("runs.tick", ExecOnLoad = true)]
    public static async Task RunAsync(DateTimeOffset t, CancellationToken cancellationToken)
    {
        var k = Interlocked.Increment(ref runs);
        new Datapoint($"{Prefix}.n").Insert(t, k);
        await Task.Delay(20, cancellationToken).ConfigureAwait(false);
        new Datapoint("runs.tock").Insert(t.AddMilliseconds(1), k);
        log?.Info($"run {k} finished in {Prefix}");
    }

    [TransferMethod]
    [OnUpdateSchedule("runs.tock")]
    public static void Tick(DateTimeOffset t, IReadOnlyList<Sample> updated) =>
        new Datapoint("runs.tick").Insert(t.AddMilliseconds(1), (decimal)updated[0].Value);
}
