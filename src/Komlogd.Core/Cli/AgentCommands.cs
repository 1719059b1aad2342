using System.CommandLine;
using System.Globalization;
using Komlogd.Core.Configuration;
using Komlogd.Core.Control;
using Komlogd.Protocol.Control;

namespace Komlogd.Core.Cli;

/// <summary><c>komlogd status|start|stop|restart|logs</c>: watch and steer the running agent through its socket.</summary>
internal static class AgentCommands
{
    public static IEnumerable<Command> Create()
    {
        var json = new Option<bool>("--json") { Description = "The status as JSON (schema: docs/protocol.md)" };
        var status = new Command("status", "Show the running agent's venvs, packages, states and restarts") { json };
        status.SetAction(result => CommandGuard.Run(() => Status(result.GetValue(KomlogdCommand.Config)!, result.GetValue(json))));
        yield return status;

        foreach (var (name, method, what) in new[]
        {
            ("start", ControlMethods.Start, "Start a stopped or Fatal venv"),
            ("stop", ControlMethods.Stop, "Stop a venv's child (shutdown, SIGTERM, SIGKILL within 10 s)"),
            ("restart", ControlMethods.Restart, "Stop a venv's child and start it again"),
        })
        {
            var venv = new Argument<string>("VENV") { Description = "The venv's name (see komlogd status)" };
            var command = new Command(name, what) { venv };
            command.SetAction((result, ct) => CommandGuard.Run(async () =>
            {
                using var agent = await ConnectAsync(result, ct).ConfigureAwait(false);
                var v = await agent.VenvAsync(method, result.GetValue(venv)!, ct).ConfigureAwait(false);
                Console.Out.WriteLine($"{v.Name}: {v.State}{(v.Pid is { } pid ? $" (pid {pid})" : "")}");
                return ExitCodes.Ok;
            }));
            yield return command;
        }

        var reload = new Command("reload", "Re-read komlogd.yaml: install, start, restart or stop only the venvs that changed");
        reload.SetAction((result, ct) => CommandGuard.Run(async () =>
        {
            using var agent = await ConnectAsync(result, ct).ConfigureAwait(false);
            var changes = await agent.ReloadAsync(ct).ConfigureAwait(false);
            Console.Out.WriteLine(changes.Length == 0 ? "nothing changed" : string.Join('\n', changes));
            return ExitCodes.Ok;
        }));
        yield return reload;

        var logVenv = new Argument<string?>("VENV") { Description = "Only this venv's lines", Arity = ArgumentArity.ZeroOrOne };
        var follow = new Option<bool>("--follow", "-f") { Description = "Keep printing new lines" };
        var logs = new Command("logs", "Print the agent's log, or one venv's lines of it") { logVenv, follow };
        logs.SetAction((result, ct) => CommandGuard.Run(async () =>
        {
            var config = ConfigLoader.Load(result.GetValue(KomlogdCommand.Config)!);
            await LogTail.RunAsync(config.LogFile, Logging.LogLines.For(config.Logging), result.GetValue(logVenv), result.GetValue(follow), ct).ConfigureAwait(false);
            return ExitCodes.Ok;
        }));
        yield return logs;
    }

    /// <summary><c>komlogd status [--json]</c>; also served by <see cref="ShortCommands"/>.</summary>
    internal static int Status(string configFile, bool json)
    {
        var socket = SocketOf(configFile);
        using var agent = ControlClient.TryConnect(socket) ?? throw NotRunning(socket);
        Console.Out.Write(json ? agent.StatusJsonNow() + "\n" : StatusReport.Render(agent.StatusNow(), StatusReport.Colour));
        return ExitCodes.Ok;
    }

    internal static async Task<ControlClient> ConnectAsync(ParseResult result, CancellationToken ct)
    {
        var socket = SocketOf(result.GetValue(KomlogdCommand.Config)!);
        return await ControlClient.TryConnectAsync(socket, ct).ConfigureAwait(false) ?? throw NotRunning(socket);
    }

    /// <summary>The agent's socket for <paramref name="configFile"/>, which must exist.</summary>
    private static string SocketOf(string configFile)
    {
        Initializer.RequireExists(configFile);
        // Not parsed: the running agent must stay reachable while its file is being edited (or broken).
        return KomlogdConfig.SocketIn(Path.GetDirectoryName(Path.GetFullPath(configFile))!);
    }

    private static KomlogdException NotRunning(string socket) =>
        new($"komlogd is not running (no agent listens on {socket}); start it with 'komlogd'", ExitCodes.Failure);

    /// <summary>An export block's lag: samples behind, and how long the oldest has waited.</summary>
    internal static string ExportLag(ExportStatusDto x) =>
        x.LagSamples == 0 ? "0" : $"{Count(x.LagSamples)} ({Duration(x.LagSeconds)})";

    internal static string Count(long n) => n.ToString(CultureInfo.InvariantCulture);

    /// <summary>Transfer-method runs: ended, failed, going now; "-" without a running child.</summary>
    internal static string Runs(RunsDto? runs) => runs switch
    {
        null => "-",
        { Failed: 0, Running: 0 } r => r.Total.ToString(CultureInfo.InvariantCulture),
        var r => $"{r.Total}{(r.Failed > 0 ? $" ({r.Failed} failed)" : "")}{(r.Running > 0 ? $", {r.Running} now" : "")}",
    };

    internal static string StateMarkup(string state) => state switch
    {
        "Running" => "[green]Running[/]",
        "Fatal" or "Disabled" => $"[red]{state}[/]",
        "Backoff" => "[yellow]Backoff[/]",
        _ => state,
    };

    internal static string Duration(double seconds) => TimeSpan.FromSeconds(seconds) switch
    {
        { TotalDays: >= 1 } d => $"{(int)d.TotalDays}d{d.Hours}h",
        { TotalHours: >= 1 } h => $"{(int)h.TotalHours}h{h.Minutes}m",
        { TotalMinutes: >= 1 } m => $"{(int)m.TotalMinutes}m{m.Seconds}s",
        var x => $"{x.Seconds}s",
    };
}
