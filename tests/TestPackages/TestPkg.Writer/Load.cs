using Komlogd.Sdk;

[assembly: KomlogdPackage(typeof(TestPkg.Writer.Load))]

namespace TestPkg.Writer;

/// <summary>Inserts 1, 2, 3, … into a.x every 200 ms (WRITER_COUNT times, default 100).</summary>
public sealed class Load : IKomlogdPackage
{
    public Task LoadAsync(IKomlogdContext context, CancellationToken cancellationToken)
    {
        var count = int.TryParse(Environment.GetEnvironmentVariable("WRITER_COUNT"), out var n) ? n : 100;
        var metric = new Datapoint("a.x");
        _ = Task.Run(async () =>
        {
            for (var i = 1; i <= count && !cancellationToken.IsCancellationRequested; i++)
            {
                metric.Insert(DateTimeOffset.UtcNow, i);
                await Task.Delay(200, cancellationToken).ConfigureAwait(false);
            }
        }, cancellationToken);
        return Task.CompletedTask;
    }
}
