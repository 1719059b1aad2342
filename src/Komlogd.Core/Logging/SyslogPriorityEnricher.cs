using Serilog.Core;
using Serilog.Events;

namespace Komlogd.Core.Logging;

/// <summary>
/// Adds SyslogPriority, the syslog level of an event (debug 7, info 6, warning 4, err 3, crit 2), which
/// journald reads from a "&lt;N&gt;" line prefix on a service's stderr: `journalctl -p warning` then works.
/// </summary>
internal sealed class SyslogPriorityEnricher : ILogEventEnricher
{
    public void Enrich(LogEvent logEvent, ILogEventPropertyFactory propertyFactory)
    {
        var priority = logEvent.Level switch
        {
            LogEventLevel.Fatal => 2,
            LogEventLevel.Error => 3,
            LogEventLevel.Warning => 4,
            LogEventLevel.Information => 6,
            _ => 7,
        };
        logEvent.AddPropertyIfAbsent(propertyFactory.CreateProperty("SyslogPriority", priority));
    }
}
