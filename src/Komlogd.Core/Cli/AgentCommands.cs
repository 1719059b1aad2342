using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using Komlogd.Core.Configuration;
using Komlogd.Core.Control;
using Komlogd.Protocol.Control;
using Spectre.Console;

namespace Komlogd.Core.Cli;

/// <summary><c>komlogd status|start|stop|restart|logs</c>: watch and steer the running agent through its socket.</summary>
internal static class AgentCommands
{
    public static IEnumerable<Command> Create()
    {
        var json = new Option<bool>("--json") { Description = "The status as JSON (schema: docs/protocol.md)" };
        var status = new Command("status", "Show the running agent's venvs, packages, states and restarts") { json };
        status.SetAction((result, ct) => KomlogdCommand.Guard(async () =>
        {
            using var agent = await ConnectAsync(result, ct).ConfigureAwait(false);
            var s = await agent.StatusAsync(ct).ConfigureAwait(false);
            if (result.GetValue(json))
            {
                Console.Out.WriteLine(JsonSerializer.Serialize(s, ControlJson.Default.AgentStatus));
            }
            else
            {
                Render(s);
            }
            return ExitCodes.Ok;
        }));
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
            command.SetAction((result, ct) => KomlogdCommand.Guard(async () =>
            {
                using var agent = await ConnectAsync(result, ct).ConfigureAwait(false);
                var v = await agent.VenvAsync(method, result.GetValue(venv)!, ct).ConfigureAwait(false);
                Console.Out.WriteLine($"{v.Name}: {v.State}{(v.Pid is { } pid ? $" (pid {pid})" : "")}");
                return ExitCodes.Ok;
            }));
            yield return command;
        }

        var reload = new Command("reload", "Re-read komlogd.yaml: install, start, restart or stop only the venvs that changed");
        reload.SetAction((result, ct) => KomlogdCommand.Guard(async () =>
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
        logs.SetAction((result, ct) => KomlogdCommand.Guard(async () =>
        {
            var config = ConfigLoader.Load(result.GetValue(KomlogdCommand.Config)!);
            await LogTail.RunAsync(config.LogFile, Logging.LogLines.For(config.Logging), result.GetValue(logVenv), result.GetValue(follow), ct).ConfigureAwait(false);
            return ExitCodes.Ok;
        }));
        yield return logs;
    }

    internal static async Task<ControlClient> ConnectAsync(ParseResult result, CancellationToken ct)
    {
        var file = KomlogdCommand.ExistingConfigFile(result);
        // Not parsed: the running agent must stay reachable while its file is being edited (or broken).
        var config = new KomlogdConfig(file, null, null, new LoggingOptions(), [], []);
        return await ControlClient.TryConnectAsync(config.SocketFile, ct).ConfigureAwait(false)
            ?? throw new KomlogdException($"komlogd is not running (no agent listens on {config.SocketFile}); start it with 'komlogd'", ExitCodes.Failure);
    }

    private static void Render(AgentStatus s)
    {
        // Redirected (a script, a test): no colour codes, and wide enough that rows are not wrapped.
        var redirected = Console.IsOutputRedirected;
        var console = redirected
            ? AnsiConsole.Create(new AnsiConsoleSettings { Ansi = AnsiSupport.No, ColorSystem = ColorSystemSupport.NoColors, Out = new AnsiConsoleOutput(Console.Out) })
            : AnsiConsole.Console;
        if (redirected)
        {
            console.Profile.Width = 240;
        }
        console.MarkupLine($"[bold]komlogd[/] pid {s.Pid}, up {Duration(s.UptimeSeconds)}, store {s.StoreBytes / 1024.0:0.#} KiB, {s.SamplesPerSecond.ToString("0.#", CultureInfo.InvariantCulture)} samples/s ({s.SamplesTotal} since start)");
        if (s.StoreError is { } storeError)
        {
            // Until a write succeeds: packages' inserts are failing meanwhile (docs/store.md).
            console.MarkupLine($"[red]store failing:[/] {Markup.Escape(storeError)}");
        }
        var table = new Table().Border(TableBorder.Rounded);
        foreach (var column in new[] { "venv", "state", "pid", "uptime", "restarts", "runs", "packages", "last error" })
        {
            table.AddColumn(column);
        }
        foreach (var v in s.Venvs)
        {
            table.AddRow(
                Markup.Escape(v.Name),
                StateMarkup(v.State),
                v.Pid?.ToString(CultureInfo.InvariantCulture) ?? "-",
                Duration(v.UptimeSeconds),
                v.Restarts.ToString(CultureInfo.InvariantCulture),
                Runs(v.Runs),
                Markup.Escape(string.Join(", ", v.Packages.Select(p => $"{p.Name} {p.Version}"))),
                Markup.Escape(v.LastError ?? ""));
        }
        if (s.Venvs.Count == 0)
        {
            table.AddRow("(no venvs)", "", "", "", "", "", "", "");
        }
        console.Write(table);
        if (s.Exports.Count > 0)
        {
            var exports = new Table().Border(TableBorder.Rounded);
            foreach (var column in new[] { "export", "state", "lag", "sent", "dropped", "refused", "last error" })
            {
                exports.AddColumn(column);
            }
            foreach (var x in s.Exports)
            {
                exports.AddRow(Markup.Escape(x.Target), StateMarkup(x.State), ExportLag(x), Count(x.Sent), Count(x.Dropped), Count(x.Refused), Markup.Escape(x.LastError ?? ""));
            }
            console.Write(exports);
        }
    }

    /// <summary>An export block's lag: samples behind, and how long the oldest has waited.</summary>
    internal static string ExportLag(ExportStatusDto x) =>
        x.LagSamples == 0 ? "0" : $"{Count(x.LagSamples)} ({Duration(x.LagSeconds)})";

    private static string Count(long n) => n.ToString(CultureInfo.InvariantCulture);

    /// <summary>Transfer-method runs: ended, failed, going now; "-" without a running child.</summary>
    private static string Runs(RunsDto? runs) => runs switch
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

[System.Text.Json.Serialization.JsonSourceGenerationOptions(PropertyNamingPolicy = System.Text.Json.Serialization.JsonKnownNamingPolicy.CamelCase, WriteIndented = true)]
[System.Text.Json.Serialization.JsonSerializable(typeof(AgentStatus))]
internal sealed partial class ControlJson : System.Text.Json.Serialization.JsonSerializerContext;
