using Komlogd.Sdk;

[assembly: KomlogdPackage(typeof(TestPkg.Filler.Load))]

namespace TestPkg.Filler;

/// <summary>
/// For store-failure tests: plain inserts of fill.tick (1, 2, 3, …) every 100 ms, and a transfer method that,
/// on each update of fill.go (a text naming a gate file), waits until the gate file exists and then writes a
/// 64 KiB text to fill.done in its run. The test fills the store's disk between the trigger and the gate.
/// </summary>
public sealed class Load : IKomlogdPackage
{
    public Task LoadAsync(IKomlogdContext context, CancellationToken cancellationToken)
    {
        var tick = new Datapoint("fill.tick");
        _ = Task.Run(async () =>
        {
            for (var i = 1; !cancellationToken.IsCancellationRequested; i++)
            {
                tick.Insert(DateTimeOffset.UtcNow, i);
                await Task.Delay(100, cancellationToken).ConfigureAwait(false);
            }
        }, cancellationToken);
        return Task.CompletedTask;
    }

    [TransferMethod]
    [OnUpdateSchedule("fill.go")]
    public static async Task Fill(DateTimeOffset t, IReadOnlyList<Sample> updated, CancellationToken cancellationToken)
    {
        var gate = ((string)updated[0].Value).Trim();
        while (!File.Exists(gate))
        {
            await Task.Delay(50, cancellationToken).ConfigureAwait(false);
        }
        new Datasource("fill.done").Insert(t, new string('x', 64 * 1024));
    }
}
