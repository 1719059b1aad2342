using System.Globalization;
using System.Text;
using Komlogd.Protocol.Control;

namespace Komlogd.Core.Cli;

/// <summary>
/// <c>komlogd status</c> as text: a summary line, then a table of venvs and one of export blocks, in plain
/// aligned columns (as <c>supervisorctl status</c> or <c>docker ps</c>), states coloured on a terminal
/// unless <c>NO_COLOR</c> is set. Not drawn with Spectre.Console, which <c>komlogd console</c> uses: its
/// first use in a process costs more than the rest of the command (docs/cli.md, "The short commands' start").
/// </summary>
internal static class StatusReport
{
    public static string Render(AgentStatus s, bool colour)
    {
        var text = new StringBuilder();
        // Strings appended, not an interpolated StringBuilder: its generic AppendFormatted<int|long|double> are
        // not in the framework's precompiled code, and compiling them was a tenth of this command's JIT.
        text.Append("komlogd pid ").Append(s.Pid.ToString(CultureInfo.InvariantCulture))
            .Append(", up ").Append(AgentCommands.Duration(s.UptimeSeconds))
            .Append(", store ").Append((s.StoreBytes / 1024.0).ToString("0.#", CultureInfo.InvariantCulture))
            .Append(" KiB, ").Append(s.SamplesPerSecond.ToString("0.#", CultureInfo.InvariantCulture))
            .Append(" samples/s (").Append(AgentCommands.Count(s.SamplesTotal)).Append(" since start)\n");
        if (s.StoreError is { } storeError)
        {
            // Until a write succeeds: packages' inserts are failing meanwhile (docs/store.md).
            text.Append(Paint("store failing:", Red, colour)).Append(' ').Append(storeError).Append('\n');
        }
        var venvs = s.Venvs.Select(v => new[]
        {
            v.Name,
            v.State,
            v.Pid?.ToString(CultureInfo.InvariantCulture) ?? "-",
            AgentCommands.Duration(v.UptimeSeconds),
            v.Restarts.ToString(CultureInfo.InvariantCulture),
            AgentCommands.Runs(v.Runs),
            string.Join(", ", v.Packages.Select(p => $"{p.Name} {p.Version}")),
            v.LastError ?? "",
        }).ToList();
        if (venvs.Count == 0)
        {
            venvs.Add(["(no venvs)", "", "", "", "", "", "", ""]);
        }
        Table(text, ["venv", "state", "pid", "uptime", "restarts", "runs", "packages", "last error"], venvs, colour);
        if (s.Exports.Count > 0)
        {
            text.Append('\n');
            Table(text, ["export", "state", "lag", "sent", "dropped", "refused", "last error"], s.Exports.Select(x => new[]
            {
                x.Target,
                x.State,
                AgentCommands.ExportLag(x),
                AgentCommands.Count(x.Sent),
                AgentCommands.Count(x.Dropped),
                AgentCommands.Count(x.Refused),
                x.LastError ?? "",
            }).ToList(), colour);
        }
        return text.ToString();
    }

    /// <summary>Columns padded to their widest cell, two spaces apart; the state (column 1) coloured.</summary>
    private static void Table(StringBuilder text, string[] header, List<string[]> rows, bool colour)
    {
        var widths = header.Select(h => h.Length).ToArray();
        foreach (var row in rows)
        {
            for (var i = 0; i < widths.Length; i++)
            {
                widths[i] = Math.Max(widths[i], row[i].Length);
            }
        }
        foreach (var row in rows.Prepend(header))
        {
            for (var i = 0; i < row.Length; i++)
            {
                var cell = i == row.Length - 1 ? row[i] : row[i].PadRight(widths[i]);
                text.Append(i == 1 && !ReferenceEquals(row, header) ? Paint(cell, StateColour(row[i]), colour) : cell);
                if (i < row.Length - 1)
                {
                    text.Append("  ");
                }
            }
            // No trailing spaces when the last columns are empty.
            while (text.Length > 0 && text[^1] == ' ')
            {
                text.Length--;
            }
            text.Append('\n');
        }
    }

    private const string Red = "31";
    private const string Green = "32";
    private const string Yellow = "33";

    private static string? StateColour(string state) => state switch
    {
        "Running" => Green,
        "Fatal" or "Disabled" => Red,
        "Backoff" => Yellow,
        _ => null,
    };

    private static string Paint(string text, string? code, bool colour) =>
        colour && code is not null ? $"\u001b[{code}m{text}\u001b[0m" : text;

    /// <summary>Colour on a terminal, unless NO_COLOR (https://no-color.org) is set.</summary>
    public static bool Colour =>
        !Console.IsOutputRedirected && string.IsNullOrEmpty(Environment.GetEnvironmentVariable("NO_COLOR"));
}
