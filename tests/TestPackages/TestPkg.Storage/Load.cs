using Komlogd.Sdk;

[assembly: KomlogdPackage(typeof(KpackStorage.Load))]

namespace KpackStorage;

/// <summary>
/// kpack_linux's Storage binding, ported (docs/packages.md quotes this file): every minute, and once on load,
/// the storage report is stored and each new device gets a transfer method bound on its util datapoint.
/// The report here is the file KPACK_STORAGE_REPORT names, already cut to sar's DEV block.
/// </summary>
public sealed class Load : IKomlogdPackage
{
    private readonly Storage _storage = new("host.system.resources");

    public Task LoadAsync(IKomlogdContext context, CancellationToken cancellationToken) => Task.CompletedTask;

    [TransferMethod, CronSchedule(minute: "*", ExecOnLoad = true)]
    public async Task CollectAsync(DateTimeOffset t, CancellationToken cancellationToken)
    {
        if (Environment.GetEnvironmentVariable("KPACK_STORAGE_REPORT") is { } report && File.Exists(report))
        {
            _storage.Update(t, await File.ReadAllTextAsync(report, cancellationToken));
        }
    }
}

public sealed class Storage(string rootUri)
{
    private readonly List<string> _devs = [];
    private readonly List<TransferMethodHandle> _tms = [];

    public Datasource Info { get; } = new($"{rootUri}.storage");

    public void Update(DateTimeOffset t, string content)
    {
        FindMissing(content);
        Info.Insert(t, content);
    }

    private void FindMissing(string content)
    {
        foreach (var dev in Devices(content).Where(d => !_devs.Contains(d)))
        {
            _devs.Add(dev);
            // transfermethod(f=self.check_anom_dev, f_params={'util': Datapoint(...)}).bind(): no schedule, so
            // it runs when the metric in its parameters, this device's util, gets a new sample.
            _tms.Add(TransferMethods.Bind(CheckAnomDev, parameters: new { util = new Datapoint($"{Info.Uri}.{dev}.util") }));
        }
    }

    private static async Task CheckAnomDev(DateTimeOffset t, Datapoint util)
    {
        var s = await util.GetAsync(end: t, count: 2);   // newest first
        if (s.Count == 0)
        {
            return;
        }
        var anom = new Anomaly(util);
        if ((decimal)s[0].Value > 80)
        {
            anom.Insert(t, 1);                           // set the anomaly signal
        }
        else if (s.Count == 2 && s[1].T < t && (decimal)s[1].Value > 80)
        {
            anom.Insert(t, 0);                           // cancel the one set before
        }
    }

    // The first field of each line of the DEV block, made a uri level as the original did: a character that
    // cannot be in a uri becomes '_' (dropped when it is the first).
    private static IEnumerable<string> Devices(string content)
    {
        var inBlock = false;
        foreach (var fields in content.Split('\n').Select(l => l.Split(' ', StringSplitOptions.RemoveEmptyEntries)))
        {
            if (fields.Length == 0 || fields[0] == "DEV")
            {
                inBlock = fields.Length > 0;
                continue;
            }
            var name = string.Concat(fields[0].Select((c, i) => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' ? c.ToString() : i > 0 ? "_" : ""));
            if (inBlock && Uris.IsLocal(name))
            {
                yield return name;
            }
        }
    }
}
