using Serilog.Events;

namespace Komlogd.Core.Configuration;

/// <summary>The <c>- logging:</c> block, with the original komlogd's defaults.</summary>
public sealed record LoggingOptions
{
    public LogEventLevel Level { get; init; } = LogEventLevel.Information;
    public bool Rotation { get; init; } = true;
    public long MaxBytes { get; init; } = 10_000_000;
    public int BackupCount { get; init; } = 3;
    public string Dirname { get; init; } = "log";
    public string Filename { get; init; } = "komlogd.log";

    /// <summary>The <c>format</c> setting (a Python logging format string), or null for komlogd's own format.</summary>
    public Logging.PythonLogFormat? Format { get; init; }

    /// <summary>Python logging level names, as the original's configuration used them.</summary>
    public static readonly IReadOnlyDictionary<string, LogEventLevel> Levels = new Dictionary<string, LogEventLevel>(StringComparer.OrdinalIgnoreCase)
    {
        ["CRITICAL"] = LogEventLevel.Fatal,
        ["ERROR"] = LogEventLevel.Error,
        ["WARNING"] = LogEventLevel.Warning,
        ["INFO"] = LogEventLevel.Information,
        ["DEBUG"] = LogEventLevel.Debug,
        ["NOTSET"] = LogEventLevel.Verbose,
    };
}
