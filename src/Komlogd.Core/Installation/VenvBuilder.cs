using Komlogd.Protocol.Venvs;
using NuGet.Versioning;
using Serilog;

namespace Komlogd.Core.Installation;

/// <summary>
/// Builds one venv in a temp dir beside it (<c>.venvs/.tmp-&lt;name&gt;-&lt;id&gt;</c>) and swaps it into
/// place when complete: fetch every block's source, check the venv holds each package once, write the
/// project and nuget.config, <c>dotnet publish</c>, read what was resolved, write the manifest last.
/// A kill at any point leaves the previous venv or none, never a half one with a manifest.
/// </summary>
internal sealed class VenvBuilder(ILogger log, string venvsDir, string sdkFeed, Lazy<HttpClient> http, string privateKey)
{
    public const string TempPrefix = ".tmp-";
    public const string OldPrefix = ".old-";

    private readonly PackagesFolder _packages = new(venvsDir);

    public async Task<VenvManifest> BuildAsync(VenvPlan plan, IReadOnlyList<InstallSpec> specs, CancellationToken ct)
    {
        var tmp = Path.Combine(venvsDir, $"{TempPrefix}{plan.Name}-{Guid.NewGuid():N}"[..(TempPrefix.Length + plan.Name.Length + 9)]);
        Directory.CreateDirectory(tmp);
        try
        {
            var tools = new ToolRunner(log, ToolEnvironment());
            var fetcher = new SourceFetcher(tools, http);
            var requests = new List<PackageRequest>();
            for (var i = 0; i < specs.Count; i++)
            {
                for (var j = 0; j < specs[i].Sources.Count; j++)
                {
                    requests.Add(await fetcher.FetchAsync(plan.Blocks[i], specs[i], j, tmp, ct).ConfigureAwait(false));
                }
            }
            CheckEachPackageOnce(requests);

            var sdk = SdkPackages();
            var nupkgs = requests.Where(r => r.From.Kind == SourceKind.Nupkg).ToList();
            _packages.InvalidateChanged(sdk.Concat(nupkgs.Select(r => (r.Id, VersionRange.Parse(r.Version!).MinVersion!.ToNormalizedString(), r.Sha256!))));
            foreach (var r in requests.Where(r => r.Spec.ForceReinstall && r.ProjectPath is null))
            {
                _packages.Drop(r.Id);
            }

            VenvFiles.WriteProject(tmp, plan.Name, requests);
            VenvFiles.WriteNuGetConfig(tmp, sdkFeed, _packages.Path,
                specs.SelectMany(s => s.Feeds).Distinct(StringComparer.Ordinal).ToList(),
                nupkgs.Select(r => r.Id).Distinct(StringComparer.OrdinalIgnoreCase).ToList());

            List<string> args = ["publish", Path.Combine("project", VenvFiles.ProjectName + ".csproj"),
                "-c", "Release", "-o", "publish", "-nologo", "-nodeReuse:false"];
            if (specs.Any(s => s.Upgrade))
            {
                // -U: ask the feeds again for the newest versions instead of NuGet's 30-minute HTTP cache.
                args.Add("-p:RestoreNoHttpCache=true");
            }
            await tools.RunAsync("dotnet", args, tmp, "dotnet publish", mayFail: false, ct).ConfigureAwait(false);

            var deps = VenvDeps.Read(Path.Combine(tmp, "publish", VenvDeps.EntryLibrary + ".deps.json")).Dependencies;
            var resolved = deps.Select(d =>
            {
                var r = requests.FirstOrDefault(r => string.Equals(r.Id, d.Id, StringComparison.OrdinalIgnoreCase));
                return new ResolvedPackage(d.Id, d.Version, r?.Source ?? "unknown", r?.Block.Block ?? 0, d.Sha512, r?.Sha256, r?.Commit);
            }).ToList();
            // project/bin holds a second copy of what publish/ holds.
            TryDelete(Path.Combine(tmp, "project", "bin"));

            var manifest = new VenvManifest(
                VenvManifest.CurrentFormat,
                plan.Name,
                plan.Blocks.Select(b => new AskedBlock(b.Block, b.Install)).ToList(),
                resolved,
                Path.Combine("publish", VenvFiles.ProjectName + ".dll"),
                DateTimeOffset.UtcNow,
                sdk.FirstOrDefault().Sha256);
            // Last: a venv dir with a manifest is a complete one.
            manifest.Write(tmp);
            Swap(tmp, Path.Combine(venvsDir, plan.Name));
            return manifest;
        }
        finally
        {
            TryDelete(tmp);
        }
    }

    /// <summary>
    /// One package id per venv: NuGet would pick one version silently, and two blocks asking for one
    /// package is a mistake in the configuration.
    /// </summary>
    private static void CheckEachPackageOnce(List<PackageRequest> requests)
    {
        foreach (var same in requests.GroupBy(r => r.Id, StringComparer.OrdinalIgnoreCase).Where(g => g.Count() > 1))
        {
            var blocks = same.ToList();
            var where = string.Join(", ", blocks.Select(r => $"block {r.Block.Block} '{r.Block.Install}'"));
            var identical = blocks.All(r => r.From.Kind == blocks[0].From.Kind && r.From.Location == blocks[0].From.Location
                && r.Version == blocks[0].Version && r.Commit == blocks[0].Commit && r.Sha256 == blocks[0].Sha256);
            throw new InstallException(identical
                ? $"package '{same.Key}' is asked for twice ({where}); remove one block"
                : $"two versions of package '{same.Key}' in one venv ({where}); put them in different venvs");
        }
    }

    /// <summary>This build's Komlogd.Sdk package(s) in the SDK feed, with their hashes.</summary>
    private List<(string Id, string Version, string Sha256)> SdkPackages()
    {
        // SdkFeed.Refresh made sure there is one.
        var files = Directory.GetFiles(sdkFeed, "*.nupkg");
        return files.Select(f =>
        {
            var (id, version) = SourceFetcher.ReadNuspec(f, "sdk feed");
            return (id, version.ToNormalizedString(), SourceFetcher.Sha256(f));
        }).ToList();
    }

    private Dictionary<string, string?> ToolEnvironment() => new()
    {
        // Also set in nuget.config; the variable would override the file if the user had set it.
        ["NUGET_PACKAGES"] = _packages.Path,
        ["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1",
        ["DOTNET_NOLOGO"] = "1",
        ["DOTNET_SKIP_FIRST_TIME_EXPERIENCE"] = "1",
        // No MSBuild node may outlive the install (and hold the venv's files).
        ["MSBUILDDISABLENODEREUSE"] = "1",
        // Never wait for credentials on a terminal nobody watches.
        ["GIT_TERMINAL_PROMPT"] = "0",
        // git+ssh: the agent's key, the user's known_hosts, no prompt.
        ["GIT_SSH_COMMAND"] = GitSsh.Command(privateKey),
        // Set when komlogd itself runs under an SDK command (dotnet test/run); they would pin the inner build.
        ["MSBuildExtensionsPath"] = null,
        ["MSBuildSDKsPath"] = null,
        ["MSBUILD_EXE_PATH"] = null,
    };

    /// <summary>Old venv aside, new one in, old one deleted: a kill in between leaves no venv (redone at next boot).</summary>
    private void Swap(string tmp, string dir)
    {
        string? old = null;
        if (Directory.Exists(dir))
        {
            old = Path.Combine(venvsDir, $"{OldPrefix}{Path.GetFileName(dir)}-{Guid.NewGuid():N}");
            Directory.Move(dir, old);
        }
        Directory.Move(tmp, dir);
        if (old is not null)
        {
            TryDelete(old);
        }
    }

    private void TryDelete(string dir)
    {
        try
        {
            if (Directory.Exists(dir))
            {
                Directory.Delete(dir, recursive: true);
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            log.Warning("Could not remove {Dir}: {Error}", dir, e.Message);
        }
    }
}
