namespace Komlogd.Core.Installation;

/// <summary>
/// Where Komlogd.Sdk comes from. komlogd carries this build's Komlogd.Sdk .nupkg in <c>sdk-feed/</c> beside
/// its own assemblies (Komlogd.Core.csproj puts it there, and into the tool package). Venvs and package
/// authors do not point at that folder: a <c>dotnet tool update</c> replaces the tool's folder (its path holds
/// the version), and a venv or a package's nuget.config naming it would then name a folder that is gone.
/// They use the config dir's copy, <c>&lt;config dir&gt;/sdk-feed/</c>, which every install refreshes from
/// the komlogd that runs and <c>komlogd sdk-feed</c> prints (docs/operations.md).
/// </summary>
public static class SdkFeed
{
    private const UnixFileMode DirMode = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;

    /// <summary>The feed this komlogd carries: <c>sdk-feed/</c> beside its assemblies.</summary>
    public static string Carried => Path.Combine(AppContext.BaseDirectory, "sdk-feed");

    /// <summary>The config dir's feed: <c>&lt;config dir&gt;/sdk-feed</c>.</summary>
    public static string In(string configDir) => Path.Combine(configDir, "sdk-feed");

    /// <summary>
    /// Makes the config dir's feed hold exactly the packages of <paramref name="carried"/> (default
    /// <see cref="Carried"/>): a package of the same name with other bytes (a rebuilt 0.1.0) is replaced, and
    /// packages of another komlogd are removed, so restores see this komlogd's SDK only. Creates the config
    /// dir (0700) when it does not exist.
    /// </summary>
    /// <returns>The config dir's feed.</returns>
    /// <exception cref="InstallException">This komlogd carries no Komlogd.Sdk package (an incomplete build).</exception>
    public static string Refresh(string configDir, string? carried = null)
    {
        carried ??= Carried;
        var packages = Directory.Exists(carried) ? Directory.GetFiles(carried, "*.nupkg") : [];
        if (packages.Length == 0)
        {
            throw new InstallException($"no Komlogd.Sdk package in {carried}: this komlogd build is incomplete (build src/Komlogd.Core)");
        }
        if (!Directory.Exists(configDir))
        {
            Directory.CreateDirectory(configDir, DirMode);
        }
        var feed = In(configDir);
        Directory.CreateDirectory(feed);
        var names = packages.Select(Path.GetFileName).ToHashSet(StringComparer.Ordinal);
        foreach (var stale in Directory.GetFiles(feed, "*.nupkg").Where(f => !names.Contains(Path.GetFileName(f))))
        {
            File.Delete(stale);
        }
        foreach (var package in packages)
        {
            var copy = Path.Combine(feed, Path.GetFileName(package));
            if (!File.Exists(copy) || SourceFetcher.Sha256(copy) != SourceFetcher.Sha256(package))
            {
                // Beside it, then renamed over it: a restore reading the feed meanwhile sees one whole file.
                var tmp = copy + ".tmp";
                File.Copy(package, tmp, overwrite: true);
                File.Move(tmp, copy, overwrite: true);
            }
        }
        return feed;
    }
}
