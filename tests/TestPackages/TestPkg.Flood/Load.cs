using Komlogd.Sdk;

[assembly: KomlogdPackage(typeof(TestPkg.Flood.Load))]

namespace TestPkg.Flood;

/// <summary>Inserts FLOOD_COUNT samples (default 1,000,000) into flood.n in a tight loop, at distinct milliseconds.</summary>
public sealed class Load : IKomlogdPackage
{
    public Task LoadAsync(IKomlogdContext context, CancellationToken cancellationToken)
    {
        var count = int.TryParse(Environment.GetEnvironmentVariable("FLOOD_COUNT"), out var n) ? n : 1_000_000;
        var metric = new Datapoint("flood.n");
        var start = DateTimeOffset.FromUnixTimeMilliseconds(1_600_000_000_000);
        _ = Task.Run(() =>
        {
            for (var i = 0; i < count; i++)
            {
                metric.Insert(start.AddMilliseconds(i), i);
            }
            context.Log.Info($"flood: inserted {count}");
        }, cancellationToken);
        return Task.CompletedTask;
    }
}
