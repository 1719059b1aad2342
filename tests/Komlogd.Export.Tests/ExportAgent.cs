using Komlogd.Core.Control;
using Komlogd.Protocol.Control;

namespace Komlogd.Export.Tests;

/// <summary>
/// The real komlogd agent in a config dir of its own, configured with export blocks, reached through its
/// control socket (typed status, inserts as <c>komlogd -u</c> sends them).
/// </summary>
internal sealed class ExportAgent(string label) : IAsyncDisposable
{
    private readonly TempDir _dir = new(label);

    public KomlogdCli Cli => new(_dir.Path);
    public AgentProcess? Process { get; private set; }
    public string this[string relative] => _dir[relative];
    private string Socket => Path.Combine(Cli.ConfigDir, "komlogd.sock");

    /// <summary>komlogd.yaml: a username and <paramref name="yaml"/>.</summary>
    public void Configure(string yaml) => Cli.WriteConfig("- username: alice\n" + yaml);

    /// <summary>A package block installing a copy of tests/TestPackages/<paramref name="package"/> into venv <paramref name="venv"/>.</summary>
    public string Package(string package, string venv)
    {
        var copy = _dir[Path.Combine("packages", package)];
        if (!Directory.Exists(copy))
        {
            TestVenv.CopyDir(Path.Combine(Repo.Root, "tests", "TestPackages", package), copy);
        }
        return $"- package:\n    install: {copy}\n    venv: {venv}\n";
    }

    /// <summary>Starts the agent and waits for its control socket to answer.</summary>
    public async Task StartAsync(IReadOnlyDictionary<string, string>? env = null)
    {
        if (Process is not null)
        {
            await Process.DisposeAsync();
        }
        Process = AgentProcess.Start(_dir.Path, [], env);
        await Eventually.WaitAsync(() =>
        {
            if (Process.HasExited)
            {
                throw new InvalidOperationException($"the agent exited: {Process.Describe()}");
            }
            using var client = File.Exists(Socket) ? ControlClient.TryConnectAsync(Socket).GetAwaiter().GetResult() : null;
            return client is not null;
        }, "the agent's control socket");
    }

    public async Task<AgentStatus> StatusAsync()
    {
        using var client = await ControlClient.TryConnectAsync(Socket) ?? throw new InvalidOperationException($"no agent: {Process?.Describe()}");
        return await client.StatusAsync();
    }

    public async Task InsertAsync(IReadOnlyList<ControlSample> samples)
    {
        using var client = await ControlClient.TryConnectAsync(Socket) ?? throw new InvalidOperationException($"no agent: {Process?.Describe()}");
        await client.InsertAsync(samples);
    }

    /// <summary>Waits until the export block to <paramref name="target"/> meets the condition; returns its status then.</summary>
    public async Task<ExportStatusDto> WaitForExportAsync(string target, Func<ExportStatusDto, bool> condition, string what, TimeSpan? timeout = null)
    {
        ExportStatusDto? last = null;
        try
        {
            await Eventually.WaitAsync(() =>
            {
                last = StatusAsync().GetAwaiter().GetResult().Exports.FirstOrDefault(x => x.Target == target);
                return last is not null && condition(last);
            }, $"export {target}: {what}", timeout);
        }
        catch (TimeoutException e)
        {
            throw new TimeoutException($"{e.Message}; last: {last}; log:\n{Log()}", e);
        }
        return last!;
    }

    public string Log() => string.Join('\n', SharedFile.Read(Path.Combine(Cli.ConfigDir, "log", "komlogd.log")).Split('\n').TakeLast(60));

    public async ValueTask DisposeAsync()
    {
        if (Process is not null)
        {
            if (!Process.HasExited)
            {
                Process.Signal(AgentProcess.SIGTERM);
                await Process.WaitForExitAsync(TimeSpan.FromSeconds(30));
            }
            await Process.DisposeAsync();
        }
        _dir.Dispose();
    }
}
