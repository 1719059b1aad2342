using System.Globalization;
using Komlogd.Sdk;

[assembly: KomlogdPackage(typeof(MyPkg.Load))]

namespace MyPkg;

/// <summary>
/// The package's entry point: komlogd creates one instance when the venv starts, calls <see cref="LoadAsync"/>
/// once, then runs the transfer methods below on their schedules (docs: writing a komlogd package).
/// </summary>
public sealed class Load : IKomlogdPackage
{
    /// <summary>This machine's 1-minute load average.</summary>
    public static readonly Datapoint Load1m = new("MyPkg.load.1m");

    /// <summary>1 while the load is above <see cref="Threshold"/>, else 0.</summary>
    public static readonly Anomaly HighLoad = new(Load1m);

    private static IKomlogdLog? log;

    /// <summary>A load above four runnable tasks per CPU is an anomaly.</summary>
    public static decimal Threshold { get; } = 4m * Environment.ProcessorCount;

    public Task LoadAsync(IKomlogdContext context, CancellationToken cancellationToken)
    {
        log = context.Log;
        log.Info($"MyPkg loaded in venv {context.Venv}");
        return Task.CompletedTask;
    }

    /// <summary>Every minute, and once when loaded: store the load average.</summary>
    [TransferMethod, CronSchedule(minute: "*", ExecOnLoad = true)]
    public static async Task CollectAsync(DateTimeOffset t, CancellationToken cancellationToken)
    {
        var loadavg = await File.ReadAllTextAsync("/proc/loadavg", cancellationToken).ConfigureAwait(false);
        Load1m.Insert(t, ParseLoad(loadavg));
    }

    /// <summary>Whenever the load gets a new sample (whoever wrote it): mark it anomalous or not.</summary>
    [TransferMethod, OnUpdateSchedule("MyPkg.load.1m")]
    public static void Check(DateTimeOffset t, IReadOnlyList<Sample> updated)
    {
        var load = (decimal)updated[0].Value;
        HighLoad.Insert(t, load > Threshold ? 1 : 0);
        if (load > Threshold)
        {
            log?.Warning($"load {load} is above {Threshold}");
        }
    }

    /// <summary>The first field of /proc/loadavg ("0.42 0.31 0.25 1/123 4567").</summary>
    public static decimal ParseLoad(string loadavg) =>
        decimal.Parse(loadavg.Split(' ')[0], NumberStyles.Number, CultureInfo.InvariantCulture);
}
