using Komlogd.Sdk;
using Kpack.Linux.Collection;
using Kpack.Linux.Publishing;

[assembly: KomlogdPackage(typeof(Kpack.Linux.Load))]

namespace Kpack.Linux;

/// <summary>
/// The package's entry point. <see cref="LoadAsync"/> reads the settings and binds <see cref="CollectAsync"/>,
/// a transfer method run on the settings' <c>minute</c> (every minute by default) and once at load, which
/// collects every configured host and publishes its datasources, datapoints and USE anomalies under
/// <c>pkg.kpack_linux.&lt;host&gt;.system.resources</c>.
/// </summary>
public sealed class Load : IKomlogdPackage
{
    private IKomlogdLog log = NullLog.Instance;
    private IReadOnlyList<HostCollector> collectors = [];
    private readonly HashSet<string> reportedSkips = new(StringComparer.Ordinal);

    /// <summary>The bound collection, once loaded.</summary>
    internal TransferMethodHandle? Collection { get; private set; }

    /// <summary>
    /// Reads the settings (see README.md) and binds the collection to their schedule; a wrong settings file
    /// fails the load with its reason.
    /// </summary>
    public Task LoadAsync(IKomlogdContext context, CancellationToken cancellationToken) =>
        StartAsync(context, KpackSettings.FromEnvironment());

    /// <summary><see cref="LoadAsync"/> with these settings (tests).</summary>
    internal Task StartAsync(IKomlogdContext context, KpackSettings settings)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(settings);
        log = context.Log;
        collectors = [.. settings.Hosts.Select(h => HostCollector.Create(settings, h, log))];
        log.Info($"Kpack.Linux {typeof(Load).Assembly.GetName().Version}: settings {settings.File ?? "(defaults)"}; "
            + $"hosts {string.Join(", ", collectors.Select(c => c.Root))}; source {settings.Source.ToString().ToLowerInvariant()}; "
            + $"minute {settings.Minute}; timeout {settings.Timeout.TotalSeconds:0} s");
        // Bound, not declared with an attribute: the schedule comes from the settings, as the original's SCHED.
        // Last: the run at load starts at once and needs the collectors.
        Collection = TransferMethods.Bind(CollectAsync, settings.Schedule);
        return Task.CompletedTask;
    }

    /// <summary>
    /// Collects every host (at once; sar takes its 2 seconds on each) and inserts what each published, all at
    /// <paramref name="t"/>. A host that fails is logged and skipped; the others are still committed.
    /// </summary>
    public async Task CollectAsync(DateTimeOffset t, CancellationToken cancellationToken)
    {
        var reports = await Task.WhenAll(collectors.Select(async c =>
        {
            try
            {
                return await c.CollectAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                log.Error($"host {c.Name}: collection failed", e);
                return null;
            }
        })).ConfigureAwait(false);

        // Inserts happen here, one host after another, on the run's flow: the host commits them together.
        for (var i = 0; i < collectors.Count; i++)
        {
            if (reports[i] is not { } report)
            {
                continue;
            }
            var publication = ReportPublisher.Build(report);
            foreach (var uri in ReportPublisher.Insert(collectors[i].Root, publication, t))
            {
                if (reportedSkips.Add(uri))
                {
                    log.Warning($"host {collectors[i].Name}: '{uri}' is not a valid uri (longer than {Uris.MaxLength} characters?); it is not published");
                }
            }
            log.Debug($"host {collectors[i].Name}: {report.Source}: {publication.Datasources.Count} datasources, "
                + $"{publication.Datapoints.Count} datapoints, {publication.Anomalies.Count(a => a.Value == 1)} of {publication.Anomalies.Count} anomalies set");
        }
    }

    /// <summary>For tests: collect with these collectors instead of the settings'.</summary>
    internal void UseCollectors(IReadOnlyList<HostCollector> value, IKomlogdLog logTo)
    {
        collectors = value;
        log = logTo;
    }

    private sealed class NullLog : IKomlogdLog
    {
        public static readonly NullLog Instance = new();

        public void Debug(string message)
        {
        }

        public void Info(string message)
        {
        }

        public void Warning(string message)
        {
        }

        public void Error(string message, Exception? exception = null)
        {
        }
    }
}
