using System.Diagnostics;
using Komlogd.Core.Configuration;
using Serilog;

namespace Komlogd.Core.Installation;

/// <summary>
/// Installs the venvs of a configuration: each enabled package block goes into its venv
/// (<see cref="VenvPlanner"/>), each venv gets its own NuGet dependency closure from a generated project
/// and <c>dotnet publish</c>. A venv whose manifest matches its specs is left alone without running any
/// tool; a failing venv does not stop the others. See docs/installation.md.
/// </summary>
public sealed class VenvInstaller
{
    /// <summary>
    /// Made at the first zip URL, not before: a new <see cref="HttpClient"/> sets up its TLS options
    /// (System.Net.Security, libssl), which installs from a feed, a folder or git never use.
    /// </summary>
    private static readonly Lazy<HttpClient> Http = new(() => new HttpClient { Timeout = TimeSpan.FromMinutes(5) });

    /// <summary>How a "this venv starts installing" progress line ends; every other line is an outcome.</summary>
    public const string InstallingSuffix = "...";

    private readonly ILogger _log;
    private readonly string _sdkFeed;

    /// <param name="log">Receives every tool's output (Debug) and each venv's outcome.</param>
    /// <param name="sdkFeed">The folder holding this build's Komlogd.Sdk .nupkg; default <see cref="SdkFeed.Carried"/>.
    /// Venvs restore from the config dir's copy of it (<see cref="SdkFeed"/>), never from this folder.</param>
    public VenvInstaller(ILogger log, string? sdkFeed = null)
    {
        _log = log;
        _sdkFeed = Path.GetFullPath(sdkFeed ?? SdkFeed.Carried);
    }

    /// <summary>
    /// Installs every venv (or only <paramref name="onlyVenv"/>) whose specs changed since its last install,
    /// or that asks for it at every boot (-U, --force-reinstall). Without <paramref name="onlyVenv"/>,
    /// venv directories no enabled block uses are removed. <paramref name="progress"/> gets one line when a
    /// venv starts installing (ending in <see cref="InstallingSuffix"/>) and one with its outcome and elapsed
    /// time when it ends; nothing for venvs that are up to date.
    /// </summary>
    /// <exception cref="KomlogdException"><paramref name="onlyVenv"/> is not a venv of the configuration, or
    /// another komlogd is installing in the same config dir.</exception>
    public async Task<IReadOnlyList<VenvInstallResult>> InstallAsync(KomlogdConfig config, string? onlyVenv, IProgress<string>? progress, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(config);
        var plans = VenvPlanner.Plan(config);
        if (onlyVenv is not null)
        {
            plans = plans.Where(p => p.Name == onlyVenv).ToList();
            if (plans.Count == 0)
            {
                var names = VenvPlanner.Plan(config).Select(p => p.Name).ToList();
                throw new KomlogdException($"no enabled package block uses venv '{onlyVenv}' (venvs: {(names.Count == 0 ? "none" : string.Join(", ", names))})");
            }
        }
        var venvsDir = config.VenvsDir;
        Directory.CreateDirectory(venvsDir);
        using var installLock = Lock(venvsDir);
        RemoveLeftovers(venvsDir, onlyVenv is null ? plans.Select(p => p.Name).ToHashSet() : null);

        var results = new List<VenvInstallResult>();
        foreach (var plan in plans)
        {
            results.Add(await InstallOneAsync(config, plan, progress, ct).ConfigureAwait(false));
        }
        return results;
    }

    private async Task<VenvInstallResult> InstallOneAsync(KomlogdConfig config, VenvPlan plan, IProgress<string>? progress, CancellationToken ct)
    {
        var log = _log.ForContext("Venv", plan.Name);
        var dir = Path.Combine(config.VenvsDir, plan.Name);
        var watch = Stopwatch.StartNew();
        var previous = VenvManifest.TryRead(dir);
        VenvInstallResult Result(VenvInstallOutcome outcome, string? error, IReadOnlyList<ResolvedPackage> packages) =>
            new(plan.Name, dir, outcome, error, packages, watch.Elapsed);

        var specs = new List<InstallSpec>();
        try
        {
            specs.AddRange(plan.Blocks.Select(b => ParseSpec(b, config.ConfigDir)));
        }
        catch (InstallException e)
        {
            return Failed(e.Message);
        }
        var result = Result(VenvInstallOutcome.UpToDate, null, previous?.Packages ?? []);
        if (IsUpToDate(plan, specs, previous, result))
        {
            log.Information("Venv {Venv} is up to date", plan.Name);
            return result;
        }

        progress?.Report($"venv {plan.Name}: installing {plan.Blocks.Count} package(s){InstallingSuffix}");
        log.Information("Installing venv {Venv}: {Specs}", plan.Name, plan.Blocks.Select(b => b.Install).ToArray());
        try
        {
            var builder = new VenvBuilder(log, config.VenvsDir, SdkFeed.Refresh(config.ConfigDir, _sdkFeed), Http, config.PrivateKeyFile);
            var manifest = await builder.BuildAsync(plan, specs, ct).ConfigureAwait(false);
            var packages = string.Join(", ", manifest.Packages.Select(p => $"{p.Id} {p.Version}"));
            log.Information("Venv {Venv} installed in {Seconds:0.0} s: {Packages}", plan.Name, watch.Elapsed.TotalSeconds, packages);
            progress?.Report($"venv {plan.Name}: installed in {watch.Elapsed.TotalSeconds:0.0} s ({packages})");
            return Result(VenvInstallOutcome.Installed, null, manifest.Packages);
        }
        catch (InstallException e)
        {
            return Failed(e.Message);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // A source that cannot be read or copied (permissions, a zip entry escaping its folder): this
            // venv fails, the others still install.
            log.Error(e, "Install of venv {Venv} failed", plan.Name);
            return Failed(e.Message.ReplaceLineEndings(" "));
        }

        VenvInstallResult Failed(string message)
        {
            var error = $"venv {plan.Name}: {message}";
            log.Error("Install failed: {Error}", error);
            progress?.Report($"venv {plan.Name}: failed after {watch.Elapsed.TotalSeconds:0.0} s");
            return Result(VenvInstallOutcome.Failed, error, previous?.Packages ?? []);
        }
    }

    /// <summary>
    /// Whether every venv of the configuration is as its blocks ask: <see cref="InstallAsync"/> would run no
    /// tool and load nothing of the installer's (NuGet, XML, hashing, HTTP). The agent installs in a process of
    /// its own otherwise (<see cref="InstallerProcess"/>).
    /// </summary>
    public static bool AllUpToDate(KomlogdConfig config)
    {
        ArgumentNullException.ThrowIfNull(config);
        return VenvPlanner.Plan(config).All(plan =>
        {
            var dir = Path.Combine(config.VenvsDir, plan.Name);
            List<InstallSpec> specs;
            try
            {
                specs = [.. plan.Blocks.Select(b => ParseSpec(b, config.ConfigDir))];
            }
            catch (InstallException)
            {
                return false;
            }
            var previous = VenvManifest.TryRead(dir);
            return IsUpToDate(plan, specs, previous, new VenvInstallResult(plan.Name, dir, VenvInstallOutcome.UpToDate, null, [], TimeSpan.Zero));
        });
    }

    private static bool IsUpToDate(VenvPlan plan, IReadOnlyList<InstallSpec> specs, VenvManifest? previous, VenvInstallResult asIs) =>
        previous is { Format: VenvManifest.CurrentFormat }
        && previous.Asked.Select(a => a.Install).SequenceEqual(plan.Blocks.Select(b => b.Install))
        && !specs.Any(s => s.AlwaysReinstall)
        && asIs.IsUsable;

    private static InstallSpec ParseSpec(PackageBlock block, string configDir)
    {
        try
        {
            return InstallSpec.Parse(block.Install, configDir);
        }
        catch (InstallException e)
        {
            throw new InstallException($"block {block.Block} '{block.Install}': {e.Message}", e);
        }
    }

    /// <summary>
    /// Temp and swapped-out dirs of an install that was killed, and (on a full install) venvs that no
    /// enabled block uses any more. Names starting with '.' are komlogd's own (.nuget, .lock).
    /// </summary>
    private void RemoveLeftovers(string venvsDir, IReadOnlySet<string>? keep)
    {
        foreach (var dir in Directory.EnumerateDirectories(venvsDir))
        {
            var name = Path.GetFileName(dir);
            var leftover = name.StartsWith(VenvBuilder.TempPrefix, StringComparison.Ordinal) || name.StartsWith(VenvBuilder.OldPrefix, StringComparison.Ordinal);
            var unused = keep is not null && !name.StartsWith('.') && !keep.Contains(name);
            if (leftover || unused)
            {
                _log.Information("Removing {What} {Dir}", unused ? "unused venv" : "leftover of an interrupted install", dir);
                try
                {
                    Directory.Delete(dir, recursive: true);
                }
                catch (Exception e) when (e is IOException or UnauthorizedAccessException)
                {
                    // A tool of a killed install may still be writing there; the next boot tries again.
                    _log.Warning("Could not remove {Dir}: {Error}", dir, e.Message);
                }
            }
        }
    }

    /// <summary>One installer per config dir at a time (the agent at boot and `komlogd install` could meet).</summary>
    private static FileStream Lock(string venvsDir)
    {
        var file = Path.Combine(venvsDir, ".lock");
        try
        {
            return new FileStream(file, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
        }
        catch (IOException e)
        {
            throw new KomlogdException($"another komlogd is installing venvs in {venvsDir}; try again when it is done", ExitCodes.Failure, e);
        }
    }
}
