using Komlogd.Core.Configuration;
using Serilog;
using Serilog.Events;
using Serilog.Formatting.Display;

namespace Komlogd.Core.Logging;

/// <summary>Builds the agent's Serilog logger from the <c>logging</c> block.</summary>
public static class LogSetup
{
    /// <summary>The file's template when <c>logging.format</c> is not set (<see cref="LogLines"/> reads it back).</summary>
    public const string FileTemplate =
        "{Timestamp:yyyy-MM-dd HH:mm:ss.fff zzz} [{Level:u3}] {VenvTag}{Message:lj}{NewLine}{Exception}";

    /// <summary>
    /// The log file (<see cref="RotatingFileSink"/>: rotated by the agent, <paramref name="rotate"/>, as the
    /// original's Python handler did), plus stderr: warnings and errors, or under systemd's journal every line
    /// with its syslog priority (<see cref="ToJournal"/>). Pass <paramref name="stderr"/> false for commands
    /// whose stderr is a one-line answer.
    /// </summary>
    public static Serilog.Core.Logger Create(KomlogdConfig config, bool stderr = true, bool rotate = false)
    {
        var o = config.Logging;
        Directory.CreateDirectory(config.LogDir);
        var log = new LoggerConfiguration()
            .MinimumLevel.Is(o.Level)
            .Enrich.With<VenvPrefixEnricher>();
        if (o.Format is not null)
        {
            log = log.Enrich.With<PythonFieldsEnricher>();
        }
        // Each event reaches the file (the OS) as it is written. No fsync timer: it kept an idle agent's thread
        // pool awake once a second (docs/benchmarks.md, "An idle agent's timers"); the kernel writes the pages
        // back within its own 30 s.
        log = log.WriteTo.Sink(new RotatingFileSink(
            config.LogFile,
            new MessageTemplateTextFormatter(o.Format?.OutputTemplate ?? FileTemplate),
            maxBytes: o.Rotation ? o.MaxBytes : null,
            backupCount: o.BackupCount,
            rotate: rotate && o.Rotation));
        if (stderr && ToJournal)
        {
            // Every line the file gets, with the syslog priority journald reads from a "<N>" prefix (sd-daemon(3));
            // no time stamp: the journal keeps its own.
            log = log.Enrich.With<SyslogPriorityEnricher>().WriteTo.Console(
                outputTemplate: "<{SyslogPriority}>{VenvTag}{Message:lj}{NewLine}",
                standardErrorFromLevel: LogEventLevel.Verbose);
        }
        else if (stderr)
        {
            log = log.WriteTo.Console(
                restrictedToMinimumLevel: LogEventLevel.Warning,
                outputTemplate: "komlogd: {Level:w}: {VenvTag}{Message:lj}{NewLine}",
                standardErrorFromLevel: LogEventLevel.Verbose);
        }
        return log.CreateLogger();
    }

    /// <summary>systemd sets JOURNAL_STREAM when it connects a service's stdout or stderr to the journal.</summary>
    public static bool ToJournal => !string.IsNullOrEmpty(Environment.GetEnvironmentVariable("JOURNAL_STREAM"));

    /// <summary>Started by systemd (it sets INVOCATION_ID for every unit it runs), or logging to its journal.</summary>
    public static bool UnderSystemd => ToJournal || !string.IsNullOrEmpty(Environment.GetEnvironmentVariable("INVOCATION_ID"));
}

/// <summary>
/// Renders a <c>Venv</c> property as a "[venv] " prefix (VenvTag) at the start of the message, whatever the
/// format, so per-venv lines can be found (<see cref="LogLines"/>: komlogd logs VENV, the console).
/// </summary>
internal sealed class VenvPrefixEnricher : Serilog.Core.ILogEventEnricher
{
    public void Enrich(LogEvent logEvent, Serilog.Core.ILogEventPropertyFactory propertyFactory)
    {
        var prefix = logEvent.Properties.TryGetValue("Venv", out var v) && v is ScalarValue { Value: string name }
            ? $"[{name}] "
            : "";
        logEvent.AddOrUpdateProperty(propertyFactory.CreateProperty("VenvTag", prefix));
    }
}
