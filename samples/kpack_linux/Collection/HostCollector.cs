using Komlogd.Sdk;
using Kpack.Linux.Proc;
using Kpack.Linux.Reports;

namespace Kpack.Linux.Collection;

/// <summary>
/// Collects one host: the local machine by sar or /proc, a remote one by sar over ssh. Says in the log which
/// source it uses the first time and whenever that changes, not at every run.
/// </summary>
internal sealed class HostCollector
{
    /// <summary>sar's command, as the original: CPU, load, memory, swapping, paging, disks, filesystems, network.</summary>
    public static readonly IReadOnlyList<string> SarArguments = ["-BWrdFqu", "-n", "DEV,EDEV", "2", "1"];

    private static readonly Dictionary<string, string> CLocale = new(StringComparer.Ordinal) { ["LC_ALL"] = "C", ["LANG"] = "C" };

    private readonly Func<CancellationToken, Task<ResourceReport?>> collect;
    private readonly IKomlogdLog log;
    private string? announced;

    /// <summary>A collector with its own way of collecting (tests).</summary>
    internal HostCollector(string name, string root, IKomlogdLog log, Func<CancellationToken, Task<ResourceReport?>> collect)
    {
        Name = name;
        Root = root;
        this.log = log;
        this.collect = collect;
    }

    private HostCollector(KpackSettings settings, HostSettings host, IKomlogdLog log)
    {
        Name = host.Name;
        Root = settings.ResourcesUri(host);
        this.log = log;
        var proc = new ProcSource("/", ProcSource.DefaultInterval);
        collect = host.Ssh is { } ssh
            ? ct => RemoteAsync(ssh, settings.Timeout, ct)
            : ct => LocalAsync(settings.Source, proc, settings.Timeout, ct);
    }

    /// <summary>The host's uri level.</summary>
    public string Name { get; }

    /// <summary>Where the host's uris go: <c>pkg.kpack_linux.&lt;host&gt;.system.resources</c>.</summary>
    public string Root { get; }

    /// <summary>The collector of <paramref name="host"/> with the given settings.</summary>
    public static HostCollector Create(KpackSettings settings, HostSettings host, IKomlogdLog log)
    {
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(host);
        return new HostCollector(settings, host, log);
    }

    /// <summary>Collects; null when nothing could be collected this time (logged).</summary>
    public Task<ResourceReport?> CollectAsync(CancellationToken cancellationToken) => collect(cancellationToken);

    private async Task<ResourceReport?> LocalAsync(SourceMode mode, ProcSource proc, TimeSpan timeout, CancellationToken cancellationToken)
    {
        if (mode != SourceMode.Proc)
        {
            var sar = CommandRunner.FindInPath("sar");
            string why;
            if (sar is null)
            {
                why = "sar is not in PATH (install sysstat for sar's figures)";
            }
            else
            {
                var (report, problem) = await RunSarAsync([sar, .. SarArguments], timeout, cancellationToken).ConfigureAwait(false);
                if (report is not null)
                {
                    Announce($"host {Name}: collecting with {sar} {string.Join(' ', SarArguments)}", warning: false);
                    return report;
                }
                why = $"{sar} failed: {problem}";
            }
            if (mode == SourceMode.Sar)
            {
                Announce($"host {Name}: nothing collected: {why} (source is 'sar'; use 'auto' to fall back to /proc)", warning: true);
                return null;
            }
            Announce($"host {Name}: collecting from /proc: {why}", warning: sar is not null);
        }
        else
        {
            Announce($"host {Name}: collecting from /proc (source is 'proc')", warning: false);
        }
        return await proc.CollectAsync(Name, cancellationToken).ConfigureAwait(false);
    }

    private async Task<ResourceReport?> RemoteAsync(IReadOnlyList<string> ssh, TimeSpan timeout, CancellationToken cancellationToken)
    {
        // ssh hands its arguments to the remote shell; these are fixed words, nothing from the settings.
        var (report, problem) = await RunSarAsync([.. ssh, "env", "LC_ALL=C", "sar", .. SarArguments], timeout, cancellationToken).ConfigureAwait(false);
        if (report is null)
        {
            Announce($"host {Name}: nothing collected: '{string.Join(' ', ssh)} ... sar' failed: {problem}", warning: true);
            return null;
        }
        Announce($"host {Name}: collecting with sar over '{string.Join(' ', ssh)}'", warning: false);
        return report;
    }

    private static async Task<(ResourceReport? Report, string Problem)> RunSarAsync(IReadOnlyList<string> argv, TimeSpan timeout, CancellationToken cancellationToken)
    {
        CommandResult? result;
        try
        {
            result = await CommandRunner.RunAsync(argv, CLocale, timeout, cancellationToken).ConfigureAwait(false);
        }
        catch (TimeoutException e)
        {
            return (null, e.Message);
        }
        if (result is null)
        {
            return (null, $"'{argv[0]}' could not be started");
        }
        var report = SarParser.Parse(result.Stdout);
        if (report.Tables.Count == 0)
        {
            var said = (result.Stderr.Trim().Length > 0 ? result.Stderr : result.Stdout).Trim();
            return (null, $"exit code {result.ExitCode}, no sar section in its output{(said.Length > 0 ? ": " + said[..Math.Min(said.Length, 300)] : "")}");
        }
        return (report, "");
    }

    // Logs a line about the source only when it differs from the last one logged: once, not every minute.
    private void Announce(string line, bool warning)
    {
        if (line == announced)
        {
            return;
        }
        announced = line;
        if (warning)
        {
            log.Warning(line);
        }
        else
        {
            log.Info(line);
        }
    }
}
