using System.Diagnostics;
using CliWrap;
using CliWrap.Buffered;
using Komlogd.Core.Configuration;
using Komlogd.Core.Installation;
using Komlogd.Protocol.Venvs;
using Serilog;

namespace Komlogd.Installer.Tests;

/// <summary>A config dir of a test's own and the installer run on it in-process, logging to a file there.</summary>
public sealed class Installs : IDisposable
{
    private readonly TempDir _home = new("installer");

    public Installs() => Cli = new KomlogdCli(_home.Path);

    public KomlogdCli Cli { get; }
    public string Home => _home.Path;
    public string VenvsDir => Path.Combine(Cli.ConfigDir, ".venvs");
    public string LogFile => Path.Combine(Cli.ConfigDir, "test-install.log");

    public string this[string relative] => _home[relative];

    /// <summary>Writes komlogd.yaml with a username and these package blocks (install, venv).</summary>
    public KomlogdConfig Configure(params (string Install, string Venv)[] packages)
    {
        var yaml = "- username: tester\n" + string.Concat(packages.Select(p =>
            $"- package:\n    install: '{p.Install.Replace("'", "''", StringComparison.Ordinal)}'\n    venv: {p.Venv}\n"));
        return ConfigLoader.Load(Cli.WriteConfig(yaml));
    }

    public async Task<IReadOnlyList<VenvInstallResult>> InstallAsync(KomlogdConfig config, string? only = null)
    {
        using var log = new LoggerConfiguration().MinimumLevel.Debug()
            .WriteTo.File(LogFile, outputTemplate: "{Timestamp:HH:mm:ss.fff} [{Level:u3}] {Message:lj}{NewLine}", shared: true)
            .CreateLogger();
        using var cts = new CancellationTokenSource(TimeSpan.FromMinutes(5));
        return await new VenvInstaller(log, TestFeed.SdkFeed).InstallAsync(config, only, null, cts.Token);
    }

    public static VenvInstallResult Venv(IReadOnlyList<VenvInstallResult> results, string name) =>
        Assert.Single(results, r => r.Name == name);

    /// <summary>The direct dependencies of Komlogd.Venv in a venv's deps.json: what the host will load.</summary>
    public static Dictionary<string, string> DirectPackages(VenvInstallResult venv) =>
        VenvDeps.Read(venv.DepsFile).Dependencies.ToDictionary(d => d.Id, d => d.Version);

    /// <summary>Every library in the deps.json, id → version (to see transitive versions, e.g. Newtonsoft.Json).</summary>
    public static IReadOnlyDictionary<string, string> AllLibraries(VenvInstallResult venv) => VenvDeps.Read(venv.DepsFile).Libraries;

    /// <summary>The file version of a dll in the venv's publish output (e.g. 12.0.3.23909 for Newtonsoft 12.0.3).</summary>
    public static string FileVersion(VenvInstallResult venv, string dll) =>
        FileVersionInfo.GetVersionInfo(Path.Combine(venv.Directory, "publish", dll)).FileVersion!;

    /// <summary>Lines of the test log saying a tool was started ("Running dotnet …").</summary>
    public int ToolRuns(string tool, string? log = null) =>
        File.Exists(log ?? LogFile) ? SharedFile.Read(log ?? LogFile).Split('\n').Count(l => l.Contains($"Running {tool} ", StringComparison.Ordinal)) : 0;

    /// <summary>Runs git with an identity of its own (never the machine's config).</summary>
    public static async Task<string> GitAsync(string dir, params string[] args)
    {
        var result = await CliWrap.Cli.Wrap("git")
            .WithArguments(["-c", "user.name=komlogd test", "-c", "user.email=test@komlogd.invalid", "-c", "init.defaultBranch=main", .. args])
            .WithWorkingDirectory(dir)
            .WithValidation(CommandResultValidation.None)
            .ExecuteBufferedAsync();
        Assert.True(result.ExitCode == 0, $"git {string.Join(' ', args)}: {result.StandardError}");
        return result.StandardOutput.Trim();
    }

    public void Dispose() => _home.Dispose();
}
