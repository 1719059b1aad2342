using System.Diagnostics;
using CliWrap;
using Komlogd.Core.Configuration;
using Komlogd.Core.Installation;
using Komlogd.TestKit;
using Serilog;

namespace Komlogd.Bench;

/// <summary>
/// The venv installer: a first install of two venvs (TestPkg.Versioned v1 and v2, conflicting Newtonsoft.Json),
/// a no-op boot, and a changed-spec reinstall of one venv, each beside a bare <c>dotnet publish</c> of the
/// same generated project (same packages folder, warm) measured in this run.
/// </summary>
public sealed class InstallBench : IBenchmark
{
    private const int NoOpRuns = 5;

    public string Name => "install";

    public string Description => "venv installer: first install, no-op boot, changed-spec reinstall";

    public async Task<IReadOnlyList<Figure>> RunAsync(CancellationToken ct)
    {
        using var feed = new TestFeed();
        var v1 = TestFeed.UniqueVersion(1);
        var v2 = TestFeed.UniqueVersion(2);
        await feed.PackAsync("TestPkg.Versioned", v1, new Dictionary<string, string> { ["NewtonsoftVersion"] = "12.0.3" });
        await feed.PackAsync("TestPkg.Versioned", v2, new Dictionary<string, string> { ["NewtonsoftVersion"] = "13.0.3" });

        using var home = new TempDir("bench-install");
        var configFile = home["komlogd.yaml"];
        using var log = new LoggerConfiguration().MinimumLevel.Debug().WriteTo.File(home["install.log"]).CreateLogger();
        var installer = new VenvInstaller(log, TestFeed.SdkFeed);
        async Task<(TimeSpan, IReadOnlyList<VenvInstallResult>)> InstallAsync(string bSpec)
        {
            await File.WriteAllTextAsync(configFile, $"""
                - username: bench
                - package:
                    install: TestPkg.Versioned=={v1} --source {feed.Folder}
                    venv: a
                - package:
                    install: {bSpec} --source {feed.Folder}
                    venv: b
                """, ct);
            var config = ConfigLoader.Load(configFile);
            var watch = Stopwatch.StartNew();
            var results = await installer.InstallAsync(config, null, null, ct);
            watch.Stop();
            if (results.FirstOrDefault(r => r.Outcome == VenvInstallOutcome.Failed) is { } failed)
            {
                throw new InvalidOperationException(failed.Error);
            }
            return (watch.Elapsed, results);
        }

        var (first, _) = await InstallAsync($"TestPkg.Versioned=={v2}");
        var noOps = new List<double>();
        for (var i = 0; i < NoOpRuns; i++)
        {
            var (t, results) = await InstallAsync($"TestPkg.Versioned=={v2}");
            if (results.Any(r => r.Outcome != VenvInstallOutcome.UpToDate))
            {
                throw new InvalidOperationException("a no-op boot installed something");
            }
            noOps.Add(t.TotalMilliseconds);
        }
        var (changed, _) = await InstallAsync($"TestPkg.Versioned>={v2}");

        var venvsDir = Path.Combine(home.Path, ".venvs");
        var bareA = await BarePublishAsync(venvsDir, "a", ct);
        var bareB = await BarePublishAsync(venvsDir, "b", ct);
        var dotnetStart = await TimeAsync(Cli.Wrap("dotnet").WithArguments("--version"), ct);

        return
        [
            new("first install, 2 venvs (cold private packages folder)", first.TotalSeconds, "s", "bare dotnet publish a + b", bareA + bareB),
            new($"no-op boot, 2 venvs (median of {NoOpRuns})", noOps.Order().ElementAt(NoOpRuns / 2), "ms", "one `dotnet --version`", dotnetStart * 1000),
            new("changed-spec reinstall of 1 venv", changed.TotalSeconds, "s", "bare dotnet publish b", bareB),
        ];
    }

    /// <summary>
    /// The venv's generated project, copied beside it (same nuget.config, same packages folder, warm) and
    /// published the way the installer does: the cost of dotnet publish alone.
    /// </summary>
    private static async Task<double> BarePublishAsync(string venvsDir, string venv, CancellationToken ct)
    {
        var from = Path.Combine(venvsDir, venv);
        var to = Path.Combine(venvsDir, $".bench-bare-{venv}");
        Directory.CreateDirectory(Path.Combine(to, "project"));
        foreach (var file in new[] { "nuget.config", "Directory.Build.props", "Directory.Build.targets", "Directory.Packages.props", "project/Komlogd.Venv.csproj" })
        {
            File.Copy(Path.Combine(from, file), Path.Combine(to, file));
        }
        var command = Cli.Wrap("dotnet")
            .WithArguments(["publish", "project/Komlogd.Venv.csproj", "-c", "Release", "-o", "publish", "-nologo", "-nodeReuse:false"])
            .WithWorkingDirectory(to)
            .WithEnvironmentVariables(e => e.Set("NUGET_PACKAGES", Path.Combine(venvsDir, ".nuget", "packages")).Set("MSBUILDDISABLENODEREUSE", "1"));
        return await TimeAsync(command, ct);
    }

    private static async Task<double> TimeAsync(Command command, CancellationToken ct)
    {
        var watch = Stopwatch.StartNew();
        await command.WithStandardOutputPipe(PipeTarget.Null).ExecuteAsync(ct);
        return watch.Elapsed.TotalSeconds;
    }
}
