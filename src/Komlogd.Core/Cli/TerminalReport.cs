using Komlogd.Core.Installation;
using Komlogd.Core.Supervision;

namespace Komlogd.Core.Cli;

/// <summary>
/// What komlogd tells the person who started it, on stdout, beside the log: the agent's start line, install
/// progress per venv and one line per venv state change. On a terminal the line of a venv being installed is
/// a spinner with the elapsed seconds, overwritten by its outcome; redirected, every line is plain and
/// final. Off with <c>-q</c> and under systemd (the journal gets the log instead, LogSetup). Synchronous:
/// <see cref="Progress{T}"/> would post lines to the thread pool, out of order.
/// </summary>
public sealed class TerminalReport : IProgress<string>, IDisposable
{
    private static readonly string[] Frames = ["⠋", "⠙", "⠹", "⠸", "⠼", "⠴", "⠦", "⠧", "⠇", "⠏"];

    private readonly TextWriter _out;
    private readonly bool _terminal;
    private readonly TimeProvider _time;
    private readonly Lock _gate = new();
    private readonly Dictionary<string, VenvState> _states = [];
    private readonly ITimer? _spinner;
    private string? _open;
    private long _openedAt;
    private int _frame;

    /// <param name="output">Where lines go (stdout).</param>
    /// <param name="terminal">True when <paramref name="output"/> is a terminal: the installing line spins in place.</param>
    /// <param name="time">Drives the spinner and its elapsed seconds.</param>
    public TerminalReport(TextWriter output, bool terminal, TimeProvider time)
    {
        _out = output;
        _terminal = terminal;
        _time = time;
        if (terminal)
        {
            _spinner = time.CreateTimer(_ => Spin(), null, TimeSpan.FromMilliseconds(125), TimeSpan.FromMilliseconds(125));
        }
    }

    /// <summary>True when the output is a terminal.</summary>
    public bool IsTerminal => _terminal;

    /// <summary>stdout's report for this process, or null with <c>-q</c> or under systemd.</summary>
    public static TerminalReport? ForConsole(bool quiet) =>
        quiet || Logging.LogSetup.UnderSystemd ? null : new TerminalReport(Console.Out, !Console.IsOutputRedirected, TimeProvider.System);

    /// <summary>A line of its own (the start line, "stopping").</summary>
    public void Line(string text)
    {
        lock (_gate)
        {
            ClearOpen();
            _out.WriteLine(text);
            DrawOpen();
        }
    }

    /// <summary>
    /// An installer progress line: one ending in <see cref="VenvInstaller.InstallingSuffix"/> opens a venv's
    /// install (spun on a terminal), any other is its outcome and closes it.
    /// </summary>
    public void Report(string value)
    {
        lock (_gate)
        {
            if (value.EndsWith(VenvInstaller.InstallingSuffix, StringComparison.Ordinal) && _terminal)
            {
                ClearOpen();
                _open = value;
                _openedAt = _time.GetTimestamp();
                DrawOpen();
                return;
            }
            ClearOpen();
            _open = null;
            _out.WriteLine(value);
        }
    }

    /// <summary>A venv's status changed: one line when its state did ("venv x: Running, pid N").</summary>
    public void VenvChanged(VenvStatus status)
    {
        lock (_gate)
        {
            if (_states.TryGetValue(status.Venv, out var last) && last == status.State)
            {
                return;
            }
            _states[status.Venv] = status.State;
        }
        var detail = status.State switch
        {
            VenvState.Running => $", pid {status.Pid} ({string.Join(", ", status.Packages.Select(p => $"{p.Name} {p.Version}"))})",
            VenvState.Backoff or VenvState.Fatal when status.LastError is { } error => $": {error}",
            _ => "",
        };
        Line($"venv {status.Venv}: {status.State}{detail}");
    }

    private void Spin()
    {
        lock (_gate)
        {
            if (_open is not null)
            {
                _frame = (_frame + 1) % Frames.Length;
                DrawOpen();
            }
        }
    }

    private void DrawOpen()
    {
        if (_open is null)
        {
            return;
        }
        var seconds = (int)_time.GetElapsedTime(_openedAt).TotalSeconds;
        // "\r" and erase-line: the spinner redraws its own line in place.
        _out.Write($"\r\u001b[K{Frames[_frame]} {_open} {seconds} s");
        _out.Flush();
    }

    private void ClearOpen()
    {
        if (_open is not null)
        {
            _out.Write("\r\u001b[K");
        }
    }

    public void Dispose()
    {
        _spinner?.Dispose();
        lock (_gate)
        {
            ClearOpen();
            _open = null;
        }
    }
}
