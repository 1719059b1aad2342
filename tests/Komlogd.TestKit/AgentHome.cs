using System.Text;
using System.Text.Json;
using Xunit;

namespace Komlogd.TestKit;

/// <summary>
/// A config dir whose package blocks install test packages from local directories (copies of
/// tests/TestPackages), and a running agent over it.
/// </summary>
public sealed class AgentHome : IAsyncDisposable
{
    private readonly TempDir _dir;

    public AgentHome(string label) => _dir = new TempDir(label);

    public string Home => _dir.Path;
    public KomlogdCli Cli => new(Home);
    public AgentProcess? Agent { get; private set; }

    /// <summary>Writes komlogd.yaml with one block per (venv, package); packages are copied under the home.</summary>
    public void Configure(params (string Venv, string Package)[] blocks)
    {
        var yaml = new StringBuilder("- username: alice\n");
        foreach (var (venv, package) in blocks)
        {
            var copy = Path.Combine(Home, "packages", package);
            if (!Directory.Exists(copy))
            {
                TestVenv.CopyDir(Path.Combine(Repo.Root, "tests", "TestPackages", package), copy);
            }
            yaml.Append($"- package:\n    install: {copy}\n    venv: {venv}\n");
        }
        Cli.WriteConfig(yaml.ToString());
    }

    /// <summary>
    /// Starts the agent as it ships: without tiered compilation, which komlogd's Release runtimeconfig turns off
    /// and the Debug build the tests run keeps on (each of their komlogd commands starts faster with it). A
    /// tiering agent compiles hot framework methods again at tier 1, and that JIT loads every assembly a method
    /// names, taken branches or not: an agent restarting children loaded System.Net.Sockets that way, which the
    /// shipped agent never maps (RunningAgentTests checks what it maps).
    /// </summary>
    public AgentProcess Start() => Agent = AgentProcess.Start(Home, [], ShippedRuntime);

    private static readonly Dictionary<string, string> ShippedRuntime = new() { ["DOTNET_TieredCompilation"] = "0" };

    public async Task<JsonElement> StatusAsync()
    {
        var result = await Cli.RunAsync("status", "--json");
        Assert.True(result.ExitCode == 0, result.ToString());
        return JsonDocument.Parse(result.Stdout).RootElement.Clone();
    }

    public static JsonElement? Venv(JsonElement status, string name) =>
        status.GetProperty("venvs").EnumerateArray().Cast<JsonElement?>().FirstOrDefault(v => v!.Value.GetProperty("name").GetString() == name);

    /// <summary>
    /// How long a venv may take to reach a state by default: the agent installs its venvs one after another
    /// first, a dotnet publish each, 15-20 s on a quiet 2-core machine and 70-115 s when other builds share it.
    /// </summary>
    public static readonly TimeSpan InstallAndStart = TimeSpan.FromMinutes(15);

    /// <summary>Waits (installs included) until the venv is in the state.</summary>
    public async Task<JsonElement> WaitForVenvAsync(string name, string state, TimeSpan? timeout = null)
    {
        JsonElement? last = null;
        try
        {
            await Eventually.WaitAsync(() =>
            {
                if (Agent is { HasExited: true })
                {
                    throw new InvalidOperationException($"the agent exited: {Agent.Describe()}");
                }
                if (!File.Exists(Path.Combine(Cli.ConfigDir, "komlogd.sock")))
                {
                    return false;
                }
                // A socket file left by an agent killed before this one answers nobody until this one listens.
                var status = Cli.RunAsync("status", "--json").GetAwaiter().GetResult();
                if (status.ExitCode != 0)
                {
                    return false;
                }
                last = JsonDocument.Parse(status.Stdout).RootElement.Clone();
                return Venv(last.Value, name) is { } v && v.GetProperty("state").GetString() == state;
            }, $"venv {name} {state}", timeout ?? InstallAndStart);
        }
        catch (TimeoutException e)
        {
            throw new TimeoutException($"{e.Message}; last status: {last}; log:\n{Log()}", e);
        }
        return Venv(last!.Value, name)!.Value;
    }

    public string Log() => SharedFile.Read(Path.Combine(Cli.ConfigDir, "log", "komlogd.log"));

    public async ValueTask DisposeAsync()
    {
        if (Agent is not null)
        {
            if (!Agent.HasExited)
            {
                Agent.Signal(AgentProcess.SIGTERM);
                await Agent.WaitForExitAsync(TimeSpan.FromSeconds(30));
            }
            await Agent.DisposeAsync();
        }
        _dir.Dispose();
    }
}
