using System.Collections.Concurrent;
using Serilog;
using Serilog.Core;
using Serilog.Events;

namespace Komlogd.TestKit;

/// <summary>A Serilog logger whose events a test can read: a real sink that keeps rendered lines.</summary>
public sealed class MemoryLog : ILogEventSink
{
    // As the file sink renders: strings without quotes.
    private static readonly Serilog.Formatting.Display.MessageTemplateTextFormatter Format = new("{Message:lj}");
    private readonly ConcurrentQueue<string> _lines = new();

    public MemoryLog() => Logger = new LoggerConfiguration().MinimumLevel.Verbose().WriteTo.Sink(this).CreateLogger();

    public Logger Logger { get; }

    public IEnumerable<string> Lines => _lines;

    public void Emit(LogEvent logEvent)
    {
        var venv = logEvent.Properties.TryGetValue("Venv", out var v) ? $"[{((ScalarValue)v).Value}] " : "";
        var message = new StringWriter();
        Format.Format(logEvent, message);
        _lines.Enqueue($"{logEvent.Level} {venv}{message}");
    }

    public bool Contains(string text) => _lines.Any(l => l.Contains(text, StringComparison.Ordinal));

    public async Task WaitForAsync(string text, TimeSpan? timeout = null)
    {
        try
        {
            await Eventually.WaitAsync(() => Contains(text), $"a log line containing '{text}'", timeout).ConfigureAwait(false);
        }
        catch (TimeoutException e)
        {
            throw new TimeoutException($"{e.Message}; the log has:\n{string.Join('\n', _lines.TakeLast(40))}", e);
        }
    }
}
