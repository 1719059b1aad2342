using System.Diagnostics;
using Komlogd.Sdk;

[assembly: KomlogdPackage(typeof(TestPkg.Load.Load))]

namespace TestPkg.Load;

/// <summary>
/// A steady load for the export benchmark: LOAD_RATE samples/s (default 50,000) spread over LOAD_SERIES
/// datapoints load.s0000… (default 1,000) for LOAD_SECONDS (default 60), stamped with the time they were
/// due, so every series advances in time order. Ends with the log line "load: inserted N".
/// </summary>
public sealed class Load : IKomlogdPackage
{
    private static int Env(string name, int fallback) => int.TryParse(Environment.GetEnvironmentVariable(name), out var n) ? n : fallback;

    public Task LoadAsync(IKomlogdContext context, CancellationToken cancellationToken)
    {
        var rate = Env("LOAD_RATE", 50_000);
        var series = Enumerable.Range(0, Env("LOAD_SERIES", 1_000)).Select(i => new Datapoint($"load.s{i:0000}")).ToArray();
        var seconds = Env("LOAD_SECONDS", 60);
        // One sample of every series per tick: 1,000 series at 50,000/s is a tick every 20 ms.
        var tick = TimeSpan.FromSeconds((double)series.Length / rate);
        var ticks = (int)(seconds / tick.TotalSeconds);
        _ = Task.Run(async () =>
        {
            var start = DateTimeOffset.UtcNow;
            var clock = Stopwatch.StartNew();
            for (var k = 0; k < ticks && !cancellationToken.IsCancellationRequested; k++)
            {
                var due = tick * k;
                if (due > clock.Elapsed)
                {
                    await Task.Delay(due - clock.Elapsed, cancellationToken).ConfigureAwait(false);
                }
                var t = start + due;
                foreach (var s in series)
                {
                    s.Insert(t, k);
                }
            }
            context.Log.Info($"load: inserted {(long)ticks * series.Length}");
        }, cancellationToken);
        return Task.CompletedTask;
    }
}
