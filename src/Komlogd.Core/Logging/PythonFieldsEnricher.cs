using System.Diagnostics;
using System.Globalization;
using Serilog.Core;
using Serilog.Events;

namespace Komlogd.Core.Logging;

/// <summary>
/// The properties a <see cref="PythonLogFormat"/> template renders, named after Python's LogRecord
/// attributes: <c>levelname</c> in Python's words, <c>processName</c> the venv (or komlogd for the agent's own
/// lines), <c>created</c> in Unix seconds, <c>relativeCreated</c> in milliseconds since the agent started.
/// </summary>
internal sealed class PythonFieldsEnricher : ILogEventEnricher
{
    private static readonly DateTimeOffset Started = Process.GetCurrentProcess().StartTime;

    public void Enrich(LogEvent logEvent, ILogEventPropertyFactory propertyFactory)
    {
        var (name, number) = logEvent.Level switch
        {
            LogEventLevel.Fatal => ("CRITICAL", 50),
            LogEventLevel.Error => ("ERROR", 40),
            LogEventLevel.Warning => ("WARNING", 30),
            LogEventLevel.Information => ("INFO", 20),
            LogEventLevel.Debug => ("DEBUG", 10),
            _ => ("DEBUG", 5),
        };
        var venv = logEvent.Properties.TryGetValue("Venv", out var v) && v is ScalarValue { Value: string s } ? s : "komlogd";
        var thread = Environment.CurrentManagedThreadId;
        Add(logEvent, propertyFactory, "LevelName", name);
        Add(logEvent, propertyFactory, "LevelNo", number);
        Add(logEvent, propertyFactory, "LoggerName", "komlogd");
        Add(logEvent, propertyFactory, "ProcessName", venv);
        Add(logEvent, propertyFactory, "ProcessId", Environment.ProcessId);
        Add(logEvent, propertyFactory, "ThreadId", thread);
        Add(logEvent, propertyFactory, "ThreadName", $"Thread-{thread}");
        // Text, not a double: rendered the same whatever the machine's culture.
        Add(logEvent, propertyFactory, "Created", (logEvent.Timestamp.ToUnixTimeMilliseconds() / 1000m).ToString("0.000", CultureInfo.InvariantCulture));
        Add(logEvent, propertyFactory, "RelativeCreated", (long)(logEvent.Timestamp - Started).TotalMilliseconds);
    }

    private static void Add(LogEvent logEvent, ILogEventPropertyFactory factory, string name, object value) =>
        logEvent.AddPropertyIfAbsent(factory.CreateProperty(name, value));
}
