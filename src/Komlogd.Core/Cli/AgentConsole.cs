using System.CommandLine;
using Komlogd.Core.Configuration;
using Komlogd.Core.Control;
using Komlogd.Core.Store;
using Komlogd.Protocol.Control;
using Spectre.Console;
using Spectre.Console.Rendering;

namespace Komlogd.Core.Cli;

/// <summary>
/// <c>komlogd console</c>: a live full-screen view of the running agent that fits 80×24. Keys: ↑/↓ pick a
/// venv, r restart, s stop, a start, Tab moves to the uri browser (↑/↓ pick a uri), q or Ctrl-C quit. In the
/// uri browser, i on a datasource opens its latest sample with every found number marked (metric
/// identification): ←/→ pick a number, n then a name and Enter names it, Esc goes back.
/// </summary>
internal sealed partial class AgentConsole(ControlClient agent, KomlogdConfig config) : IDisposable
{
    private SampleStore? _store;
    private const int LogLines = 5;
    private AgentStatus? _status;
    private int _venv;
    private int _uri;
    private bool _browsing;
    private string _message = "";
    private IReadOnlyList<UriSummary> _uris = [];
    private IdentifyResult? _sample;
    private int _number;
    private string? _typing;

    public static Command Create()
    {
        var command = new Command("console", "Interactive console: live venv table, restart/stop/start, logs, latest samples");
        command.SetAction((result, ct) => CommandGuard.Run(async () =>
        {
            using var agent = await AgentCommands.ConnectAsync(result, ct).ConfigureAwait(false);
            var config = ConfigLoader.Load(result.GetValue(KomlogdCommand.Config)!);
            using var console = new AgentConsole(agent, config);
            await console.RunAsync(ct).ConfigureAwait(false);
            return ExitCodes.Ok;
        }));
        return command;
    }

    public async Task RunAsync(CancellationToken ct)
    {
        if (Console.IsInputRedirected)
        {
            throw new KomlogdException("komlogd console needs a terminal; use 'komlogd status' in scripts");
        }
        Console.TreatControlCAsInput = true;
        try
        {
            await RefreshAsync(ct).ConfigureAwait(false);
            var done = false;
            await AnsiConsole.Live(Render()).AutoClear(true).Overflow(VerticalOverflow.Crop).StartAsync(async live =>
            {
                var next = DateTime.UtcNow;
                while (!done && !ct.IsCancellationRequested)
                {
                    while (Console.KeyAvailable)
                    {
                        done = await OnKeyAsync(Console.ReadKey(intercept: true), ct).ConfigureAwait(false);
                        live.UpdateTarget(Render());
                    }
                    if (DateTime.UtcNow >= next)
                    {
                        await RefreshAsync(ct).ConfigureAwait(false);
                        live.UpdateTarget(Render());
                        next = DateTime.UtcNow.AddSeconds(1);
                    }
                    await Task.Delay(50, CancellationToken.None).ConfigureAwait(false);
                }
            }).ConfigureAwait(false);
        }
        finally
        {
            Console.TreatControlCAsInput = false;
        }
    }

    private async Task<bool> OnKeyAsync(ConsoleKeyInfo key, CancellationToken ct)
    {
        if (_sample is not null)
        {
            await OnSampleKeyAsync(key, ct).ConfigureAwait(false);
            return false;
        }
        var venvs = _status?.Venvs ?? [];
        switch (key.Key)
        {
            case ConsoleKey.I when _browsing && _uris.Count > 0:
                var picked = _uris[Math.Min(_uri, _uris.Count - 1)];
                if (picked.Type != SampleType.Datasource)
                {
                    _message = $"{picked.Uri} holds datapoints; i opens a datasource's text";
                    break;
                }
                await ShowSampleAsync(picked.Uri, ct).ConfigureAwait(false);
                break;
            case ConsoleKey.Q:
            case ConsoleKey.C when key.Modifiers.HasFlag(ConsoleModifiers.Control):
            case ConsoleKey.Escape:
                return true;
            case ConsoleKey.Tab:
                _browsing = !_browsing;
                break;
            case ConsoleKey.UpArrow:
                if (_browsing) { _uri = Math.Max(0, _uri - 1); } else { _venv = Math.Max(0, _venv - 1); }
                break;
            case ConsoleKey.DownArrow:
                if (_browsing) { _uri = Math.Min(Math.Max(0, _uris.Count - 1), _uri + 1); } else { _venv = Math.Min(Math.Max(0, venvs.Count - 1), _venv + 1); }
                break;
            case ConsoleKey.R or ConsoleKey.S or ConsoleKey.A when !_browsing && venvs.Count > 0:
                var name = venvs[Math.Min(_venv, venvs.Count - 1)].Name;
                var (method, verb) = key.Key switch
                {
                    ConsoleKey.R => (ControlMethods.Restart, "restarted"),
                    ConsoleKey.S => (ControlMethods.Stop, "stopped"),
                    _ => (ControlMethods.Start, "started"),
                };
                try
                {
                    var v = await agent.VenvAsync(method, name, ct).ConfigureAwait(false);
                    _message = $"{name} {verb}: {v.State}{(v.Pid is { } pid ? $" pid {pid}" : "")}";
                }
                catch (KomlogdException e)
                {
                    _message = e.Message;
                }
                await RefreshAsync(ct).ConfigureAwait(false);
                break;
        }
        return false;
    }

    private async Task ShowSampleAsync(string uri, CancellationToken ct)
    {
        try
        {
            _sample = await agent.IdentifyAsync(new IdentifyRequest(uri, IdentifyOperations.Show), ct).ConfigureAwait(false);
            _number = Math.Min(_number, Math.Max(0, _sample.Numbers.Count - 1));
        }
        catch (KomlogdException e)
        {
            _message = e.Message;
        }
    }

    /// <summary>Keys of the sample view: pick a number, type a name for it, name it through the agent.</summary>
    private async Task OnSampleKeyAsync(ConsoleKeyInfo key, CancellationToken ct)
    {
        var sample = _sample!;
        if (_typing is not null)
        {
            switch (key.Key)
            {
                case ConsoleKey.Escape:
                    _typing = null;
                    break;
                case ConsoleKey.Backspace:
                    _typing = _typing.Length > 0 ? _typing[..^1] : _typing;
                    break;
                case ConsoleKey.Enter when _typing.Length > 0 && sample.Numbers.Count > 0:
                    var name = _typing;
                    _typing = null;
                    try
                    {
                        var r = await agent.IdentifyAsync(new IdentifyRequest(sample.Uri, IdentifyOperations.Name, sample.T, Index: _number + 1, Name: name), ct).ConfigureAwait(false);
                        _message = IdentifyCommand.Render(new IdentifyRequest(sample.Uri, IdentifyOperations.Name, Name: name), r, json: false).TrimEnd();
                        _sample = r;
                    }
                    catch (KomlogdException e)
                    {
                        _message = e.Message;
                    }
                    break;
                default:
                    if (key.KeyChar is >= 'a' and <= 'z' or >= 'A' and <= 'Z' or >= '0' and <= '9' or '_' or '-')
                    {
                        _typing += key.KeyChar;
                    }
                    break;
            }
            return;
        }
        switch (key.Key)
        {
            case ConsoleKey.Escape:
            case ConsoleKey.Q:
                _sample = null;
                break;
            case ConsoleKey.LeftArrow:
                _number = Math.Max(0, _number - 1);
                break;
            case ConsoleKey.RightArrow:
                _number = Math.Min(Math.Max(0, sample.Numbers.Count - 1), _number + 1);
                break;
            case ConsoleKey.N when sample.Numbers.Count > 0:
                _typing = "";
                break;
        }
    }

    /// <summary>
    /// The sample's lines with each found number marked: <c>[N]</c> before it, the picked one reversed, a named
    /// one green. Lines are clipped to <paramref name="width"/> and at most <paramref name="height"/> are shown,
    /// from the picked number's line on when it would be below them. Guarded by AgentConsoleTests.
    /// </summary>
    internal static List<string> MarkedLines(IdentifyResult sample, int picked, int width, int height)
    {
        var text = sample.Text ?? "";
        var lines = new List<string>();
        var line = new System.Text.StringBuilder();
        var visible = 0;
        var pickedLine = 0;
        var next = 0;
        for (var i = 0; i < text.Length; i++)
        {
            if (next < sample.Numbers.Count && sample.Numbers[next].Position == i)
            {
                var n = sample.Numbers[next];
                var mark = $"[{n.Index}]{text.AsSpan(i, n.Length)}";
                if (next == picked)
                {
                    pickedLine = lines.Count;
                }
                if (visible + mark.Length <= width)
                {
                    var style = next == picked ? "reverse" : n.Name is not null ? "green" : "bold";
                    line.Append('[').Append(style).Append(']').Append(Markup.Escape(mark)).Append("[/]");
                    visible += mark.Length;
                }
                i += n.Length - 1;
                next++;
                continue;
            }
            if (text[i] == '\n')
            {
                lines.Add(line.ToString());
                line.Clear();
                visible = 0;
                continue;
            }
            if (text[i] != '\r' && visible < width)
            {
                line.Append(Markup.Escape(text[i].ToString()));
                visible++;
            }
        }
        if (line.Length > 0)
        {
            lines.Add(line.ToString());
        }
        var first = pickedLine < height ? 0 : pickedLine - height + 1;
        return lines.Skip(first).Take(height).ToList();
    }

    private IRenderable RenderSample(IdentifyResult sample)
    {
        var rows = new List<IRenderable>
        {
            new Markup($"[bold]{Markup.Escape(sample.Uri)}[/] at {SampleTime.Format(SampleTime.FromMs(sample.T ?? 0))}: {sample.Numbers.Count} numbers"),
        };
        rows.AddRange(MarkedLines(sample, _number, 78, 16).Select(l => new Markup(l)));
        if (sample.Numbers.Count > 0)
        {
            var n = sample.Numbers[Math.Min(_number, sample.Numbers.Count - 1)];
            rows.Add(new Text(Clip($"[{n.Index}] {n.Value.ToString(System.Globalization.CultureInfo.InvariantCulture)} {(n.Name is { } name ? $"feeds {sample.Uri}.{name}" : "no name")}", 78)));
        }
        rows.Add(_typing is not null
            ? new Markup($"name [{_number + 1}]: {Markup.Escape(_typing)}_  [dim]Enter name it  Esc cancel[/]")
            : new Markup($"[dim]←→ pick a number  n name it  Esc back[/]  {Markup.Escape(Clip(_message, 40))}"));
        return new Rows(rows);
    }

    private async Task RefreshAsync(CancellationToken ct)
    {
        try
        {
            _status = await agent.StatusAsync(ct).ConfigureAwait(false);
        }
        catch (KomlogdException e)
        {
            _message = e.Message;
        }
        if (Store() is { } store)
        {
            _uris = store.List();
        }
    }

    private IRenderable Render()
    {
        if (_sample is { } view)
        {
            return RenderSample(view);
        }
        var s = _status;
        var rows = new List<IRenderable>
        {
            new Markup(s is null
                ? "[bold]komlogd[/] (no answer)"
                : $"[bold]komlogd[/] pid {s.Pid} up {AgentCommands.Duration(s.UptimeSeconds)}  {s.SamplesPerSecond:0.#} samples/s  {s.SamplesTotal} stored"),
        };
        if (s?.StoreError is { } storeError)
        {
            rows.Add(new Markup($"[red]store failing:[/] {Markup.Escape(storeError)}"));
        }
        var table = new Table().Border(TableBorder.Simple).Expand();
        foreach (var c in new[] { "venv", "state", "pid", "restarts", "packages" })
        {
            table.AddColumn(c);
        }
        var venvs = s?.Venvs ?? [];
        for (var i = 0; i < venvs.Count; i++)
        {
            var v = venvs[i];
            var mark = i == _venv && !_browsing ? "[reverse]" : "";
            var end = mark.Length > 0 ? "[/]" : "";
            table.AddRow(
                new Markup($"{mark}{Markup.Escape(v.Name)}{end}"),
                new Markup(AgentCommands.StateMarkup(v.State)),
                new Text(v.Pid?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "-"),
                new Text(v.Restarts.ToString(System.Globalization.CultureInfo.InvariantCulture)),
                new Text(string.Join(", ", v.Packages.Select(p => $"{p.Name} {p.Version}"))));
        }
        rows.Add(table);
        foreach (var x in s?.Exports ?? [])
        {
            // One line a block: the console fits 80×24.
            rows.Add(new Text(Clip($"export {x.State} lag {AgentCommands.ExportLag(x)} sent {x.Sent} dropped {x.Dropped} {x.Target}", 78)));
        }
        if (venvs.Count > 0)
        {
            var selected = venvs[Math.Min(_venv, venvs.Count - 1)];
            rows.Add(new Markup($"[bold]log[/] {Markup.Escape(selected.Name)}{(selected.LastError is { } e ? $"  [red]{Markup.Escape(Clip(e, 60))}[/]" : "")}"));
            foreach (var line in RecentLog(selected.Name))
            {
                rows.Add(new Text(Clip(line, 78)));
            }
        }
        rows.Add(new Markup(_browsing ? "[bold reverse]uris[/]" : "[bold]uris[/] (Tab)"));
        if (_uris.Count > 0)
        {
            var pick = Math.Min(_uri, _uris.Count - 1);
            var u = _uris[pick];
            rows.Add(new Text(Clip($"{pick + 1}/{_uris.Count} {u.Uri} ({u.Type.Name()}, {u.Count})", 78)));
            foreach (var sample in Store()!.Get(u.Uri, count: 2))
            {
                rows.Add(new Text(Clip($"  {SampleTime.Format(sample.T)} {sample.Value.ReplaceLineEndings(" ")}", 78)));
            }
        }
        rows.Add(new Markup(_browsing
            ? $"[dim]↑↓ select  i numbers of a text  Tab venvs  q quit[/]  {Markup.Escape(Clip(_message, 40))}"
            : $"[dim]↑↓ select  r restart  s stop  a start  Tab uris  q quit[/]  {Markup.Escape(Clip(_message, 40))}"));
        return new Rows(rows);
    }

    private IEnumerable<string> RecentLog(string venv)
    {
        if (!File.Exists(config.LogFile))
        {
            return [];
        }
        var lines = Logging.LogLines.For(config.Logging);
        using var stream = new FileStream(config.LogFile, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        // The tail only: a long log is not read whole every second.
        stream.Seek(Math.Max(0, stream.Length - 64 * 1024), SeekOrigin.Begin);
        using var reader = new StreamReader(stream);
        // A venv's line as the pane shows it; a line of a configured logging.format shows its message only.
        return reader.ReadToEnd().Split('\n')
            .Select(l => lines.VenvMessage(l, venv) is { } message ? PaneLine(l, message) : null)
            .OfType<string>().TakeLast(LogLines).ToList();
    }

    /// <summary>
    /// A log line as the pane shows it: "HH:mm:ss INF message". The file's lines (LogSetup.FileTemplate) start
    /// "yyyy-MM-dd HH:mm:ss.fff zzz [INF] [venv] "; the pane's venv is already named above it. Other lines
    /// (an exception's stack) are shown as they are. Guarded by AgentConsoleTests.
    /// </summary>
    internal static string PaneLine(string line) => PaneLine(line, line.TrimEnd('\r'));

    private static string PaneLine(string line, string otherwise)
    {
        var m = FileLineRegex().Match(line.TrimEnd('\r'));
        return m.Success ? $"{m.Groups["time"].Value} {m.Groups["level"].Value} {m.Groups["message"].Value}" : otherwise;
    }

    [System.Text.RegularExpressions.GeneratedRegex(@"^\d{4}-\d\d-\d\d (?<time>\d\d:\d\d:\d\d)\.\d+ [+-]\d\d:\d\d \[(?<level>[A-Z]{3})\] (\[[^\]]*\] )?(?<message>.*)$")]
    private static partial System.Text.RegularExpressions.Regex FileLineRegex();

    /// <summary>One connection for the console's life, opened once the agent has created the store.</summary>
    private SampleStore? Store() => _store ??= File.Exists(config.StoreFile) ? SampleStore.Open(config.StoreFile, config.Username) : null;

    public void Dispose() => _store?.Dispose();

    private static string Clip(string text, int width) => text.Length <= width ? text : text[..(width - 1)] + "…";
}
