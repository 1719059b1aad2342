using System.Text.Json;

namespace Komlogd.Packaging.Tests;

/// <summary>
/// komlogd packed as a .NET tool (dotnet pack src/Komlogd.Core) with a version no earlier run used, and
/// installed from that folder into a tool path of the test's own, as a user would install it.
/// </summary>
public sealed class InstalledTool : IAsyncLifetime
{
    private readonly TempDir _dir = new("tool");

    public string Version { get; } = TestFeed.UniqueVersion(0);
    public string PackFolder => _dir["pack"];
    public string ToolPath => _dir["tools"];

    /// <summary>The installed command: the tool path's shim, which stays where it is across updates.</summary>
    public string Komlogd => Path.Combine(ToolPath, "komlogd");

    /// <summary>The installed tool's own files: .store/komlogd/&lt;version&gt;/…, replaced by an update.</summary>
    public string Store => Path.Combine(ToolPath, ".store", "komlogd");

    /// <summary>Runs the installed tool as a user would: the shim finds .NET through DOTNET_ROOT.</summary>
    public static IReadOnlyDictionary<string, string?> Environment { get; } =
        new Dictionary<string, string?> { ["DOTNET_ROOT"] = global::Komlogd.Core.Service.ServiceUnit.DotnetRoot };

    public async Task InitializeAsync()
    {
        await PackAsync(Version, build: true);
        await Dotnet.RunAsync(["tool", "install", "komlogd", "--tool-path", ToolPath, "--add-source", PackFolder, "--version", Version], _dir.Path);
    }

    /// <summary>
    /// Packs the tool as this version. Release: nothing the other tests run (the Debug build) is rewritten
    /// meanwhile. Without a build, only the package is made again from the same publish.
    /// </summary>
    public Task PackAsync(string version, bool build) =>
        Dotnet.RunAsync(["pack", Path.Combine(Repo.Root, "src", "Komlogd.Core"), "-c", "Release", "-o", PackFolder,
            "-nologo", "-nodeReuse:false", $"-p:KomlogdToolVersion={version}", .. build ? Array.Empty<string>() : ["--no-build"]], Repo.Root);

    public Task DisposeAsync()
    {
        _dir.Dispose();
        return Task.CompletedTask;
    }
}

/// <summary>The installed tool runs the agent and its packages with no source checkout; venvs outlive a tool update.</summary>
public sealed class ToolTests(InstalledTool tool) : IClassFixture<InstalledTool>, IDisposable
{
    private readonly TempDir _home = new("tool-home");

    private KomlogdCli Cli => new(_home.Path, tool.Komlogd);

    [Fact]
    public async Task TheInstalledToolRunsAPackageFromALocalFeedAndItsVenvOutlivesAToolUpdate()
    {
        var version = await RunAsync("--version");
        Assert.StartsWith("0.1.0", version.Stdout, StringComparison.Ordinal);
        // The host and the SDK feed came in the package.
        var toolDir = Assert.Single(Directory.GetDirectories(Path.Combine(tool.Store, tool.Version, "komlogd", tool.Version, "tools", "net10.0")));
        Assert.True(File.Exists(Path.Combine(toolDir, "host", "Komlogd.PluginHost.dll")));
        Assert.True(File.Exists(Path.Combine(toolDir, "sdk-feed", "Komlogd.Sdk.0.1.0.nupkg")));

        // A package built against the installed tool's SDK, from a feed folder of the test's own.
        var sdkFeed = (await RunAsync("sdk-feed")).Stdout.Trim();
        Assert.Equal(Path.Combine(Cli.ConfigDir, "sdk-feed"), sdkFeed);
        using var feed = new TestFeed();
        var package = TestFeed.UniqueVersion(2);
        await feed.PackAsync("TestPkg.Basic", package, sdkFeed: sdkFeed);
        Cli.WriteConfig($"- username: alice\n- package:\n    install: TestPkg.Basic=={package} --source {feed.Folder}\n");

        var host = await RunAgentAsync(installs: true);
        Assert.Contains(Path.Combine(toolDir, "host", "Komlogd.PluginHost.dll"), host, StringComparison.Ordinal);
        Assert.Contains($"TestPkg.Basic {package}.0 loaded in venv default", Log(), StringComparison.Ordinal);
        // Nothing in the venvs names the tool's own folder, which an update replaces.
        var naming = Directory.EnumerateFiles(Path.Combine(Cli.ConfigDir, ".venvs"), "*", SearchOption.AllDirectories)
            .Where(f => !f.EndsWith(".dll", StringComparison.Ordinal) && File.ReadAllText(f).Contains(tool.ToolPath, StringComparison.Ordinal)).ToList();
        Assert.Empty(naming);

        var next = "1" + tool.Version[1..]; // above the installed 0.x: an update, not a downgrade
        await tool.PackAsync(next, build: false);
        await Dotnet.RunAsync(["tool", "update", "komlogd", "--tool-path", tool.ToolPath, "--add-source", tool.PackFolder, "--version", next], _home.Path);
        Assert.False(Directory.Exists(Path.Combine(tool.Store, tool.Version)), "the update removed the old version's files");

        await RunAgentAsync(installs: false);
        Assert.Contains($"TestPkg.Basic {package}.0 loaded in venv default", ThisRun(Log()), StringComparison.Ordinal);
    }

    [Fact]
    public async Task ServiceInstallFromTheInstalledToolWritesUnitsThatStartTheToolsCommand()
    {
        var units = _home["units"];

        var user = await RunAsync("service", "install", "--unit-dir", units);

        var unit = File.ReadAllText(Path.Combine(units, "komlogd.service"));
        Assert.Contains($"ExecStart={tool.Komlogd} -c {Cli.ConfigFile}\n", unit, StringComparison.Ordinal);
        Assert.Contains($"wrote {Path.Combine(units, "komlogd.service")}", user.Stdout, StringComparison.Ordinal);
        Assert.Equal("", await SystemdAnalyze.VerifyAsync(Path.Combine(units, "komlogd.service"), user: true, _home["xdg"]));

        // A system service's user must reach the tool: a tool path closed to others (as root's ~ is) is refused.
        var config = _home["system/komlogd.yaml"];
        File.SetUnixFileMode(tool.ToolPath, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        try
        {
            var closed = await Cli.RunAsync("service", "install", "--system", "--as-user", "daemon", "--unit-dir", _home["sysunits"], "-c", config);
            Assert.Equal(2, closed.ExitCode);
            Assert.Equal($"{tool.ToolPath} is closed to other users, so the service's user cannot run {tool.Komlogd}; install komlogd where it can, e.g. dotnet tool install --tool-path /opt/komlogd komlogd",
                Assert.Single(closed.ErrorLines));
            Assert.False(File.Exists(config));
        }
        finally
        {
            File.SetUnixFileMode(tool.ToolPath, (UnixFileMode)0b111_101_101);
        }
        await RunAsync("service", "install", "--system", "--as-user", "daemon", "--unit-dir", _home["sysunits"], "-c", config);
        Assert.Contains($"ExecStart={tool.Komlogd} -c {config}\n", File.ReadAllText(_home["sysunits/komlogd.service"]), StringComparison.Ordinal);
        Assert.Equal("", await SystemdAnalyze.VerifyAsync(_home["sysunits/komlogd.service"], user: false, _home["xdg"]));
    }

    /// <summary>Starts the installed tool's agent, waits for its venv to run, stops it with SIGTERM; returns the host's command line.</summary>
    private async Task<string> RunAgentAsync(bool installs)
    {
        await using var agent = AgentProcess.Start(_home.Path, [], InstalledTool.Environment.ToDictionary(e => e.Key, e => e.Value!), tool.Komlogd);
        var pid = 0;
        await Eventually.WaitAsync(() =>
        {
            Assert.False(agent.HasExited, agent.Describe());
            var status = Cli.RunAsync(["status", "--json"], env: InstalledTool.Environment).GetAwaiter().GetResult();
            if (status.ExitCode != 0)
            {
                return false;
            }
            var venv = JsonDocument.Parse(status.Stdout).RootElement.GetProperty("venvs").EnumerateArray().SingleOrDefault();
            pid = venv.ValueKind == JsonValueKind.Object && venv.GetProperty("state").GetString() == "Running" ? venv.GetProperty("pid").GetInt32() : 0;
            return pid > 0;
        }, $"the venv to run; log:\n{Log()}", TimeSpan.FromMinutes(5));
        var commandLine = File.ReadAllText($"/proc/{pid}/cmdline").Replace('\0', ' ');
        var thisRun = ThisRun(Log());
        Assert.Equal(installs, thisRun.Contains("Running dotnet publish", StringComparison.Ordinal));
        agent.Signal(AgentProcess.SIGTERM);
        Assert.True(await agent.WaitForExitAsync(TimeSpan.FromMinutes(1)), agent.Describe());
        Assert.True(agent.ExitCode == 0, agent.Describe());
        return commandLine;
    }

    private async Task<CliResult> RunAsync(params string[] args)
    {
        var result = await Cli.RunAsync(args, env: InstalledTool.Environment);
        Assert.True(result.ExitCode == 0, result.ToString());
        return result;
    }

    private string Log() => SharedFile.Read(Path.Combine(Cli.ConfigDir, "log", "komlogd.log"));

    private static string ThisRun(string log) => log[Math.Max(0, log.LastIndexOf("Agent running", StringComparison.Ordinal))..];

    public void Dispose() => _home.Dispose();
}
