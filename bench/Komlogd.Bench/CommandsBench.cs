using System.Diagnostics;
using Komlogd.TestKit;

namespace Komlogd.Bench;

/// <summary>
/// The short commands a script runs against a running agent, each spawn → exit as a user's shell sees it:
/// <c>echo 42 | komlogd -u uri</c>, <c>komlogd status</c> and <c>komlogd status --json</c>, interleaved round
/// by round with the floor, a bare <c>dotnet hello</c>, started the same way (docs/cli.md, "The short
/// commands' start"). The agent has one venv running (TestPkg.Basic), so status asks a child for its runs.
/// </summary>
public sealed class CommandsBench(bool quick) : IBenchmark
{
    public string Name => "commands";

    public string Description => "komlogd -u and status with the agent up, beside a bare dotnet hello start, same rounds";

    public async Task<IReadOnlyList<Figure>> RunAsync(CancellationToken ct)
    {
        using var dir = new TempDir("bench-commands");
        var hello = await Measure.BuildHelloAsync(dir["hello"]);
        var (cli, started) = await Measure.StartBasicAgentAsync(dir, "home");
        await using var agent = started;

        string[][] commands = [[hello], [Repo.KomlogdDll, "-c", cli.ConfigFile, "-u", "bench.cli"], [Repo.KomlogdDll, "-c", cli.ConfigFile, "status"], [Repo.KomlogdDll, "-c", cli.ConfigFile, "status", "--json"]];
        var times = commands.Select(_ => new List<double>()).ToArray();
        // Two rounds to warm the page cache, then the measured ones.
        for (var round = -2; round < (quick ? 7 : 21); round++)
        {
            for (var c = 0; c < commands.Length; c++)
            {
                var ms = SpawnToExitMs(commands[c], stdin: c == 1 ? "42\n" : null);
                if (round >= 0)
                {
                    times[c].Add(ms);
                }
            }
        }
        agent.Signal(AgentProcess.SIGTERM);
        await agent.WaitForExitAsync(TimeSpan.FromSeconds(30));

        var helloMs = Measure.Median(times[0]);
        return
        [
            new("echo 42 | komlogd -u uri, agent up (median)", Measure.Median(times[1]), "ms", "bare dotnet hello start, same rounds", helloMs),
            new("komlogd status, one venv running (median)", Measure.Median(times[2]), "ms", "bare dotnet hello start, same rounds", helloMs),
            new("komlogd status --json (median)", Measure.Median(times[3]), "ms", "bare dotnet hello start, same rounds", helloMs),
            new("echo 42 | komlogd -u uri, p90", Measure.Percentile(times[1], 90), "ms", "bare dotnet hello start, p90", Measure.Percentile(times[0], 90)),
        ];
    }

    private static double SpawnToExitMs(string[] args, string? stdin)
    {
        var start = new ProcessStartInfo("dotnet", args) { RedirectStandardOutput = true, RedirectStandardInput = stdin is not null, UseShellExecute = false };
        var watch = Stopwatch.StartNew();
        using var p = Process.Start(start)!;
        if (stdin is not null)
        {
            p.StandardInput.Write(stdin);
            p.StandardInput.Close();
        }
        p.StandardOutput.ReadToEnd();
        p.WaitForExit();
        var ms = watch.Elapsed.TotalMilliseconds;
        if (p.ExitCode != 0)
        {
            throw new InvalidOperationException($"dotnet {string.Join(' ', args)} exited {p.ExitCode}");
        }
        return ms;
    }
}
