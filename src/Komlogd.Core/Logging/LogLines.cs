using System.Text.RegularExpressions;
using Komlogd.Core.Configuration;

namespace Komlogd.Core.Logging;

/// <summary>
/// Finds a venv's lines in the agent's log file for <c>komlogd logs VENV</c> and the console: a venv's
/// message starts with "[venv] " (<see cref="VenvPrefixEnricher"/>), right after what the format puts before
/// the message, so the line is read with the configured format's prefix (<see cref="PythonLogFormat.Prefix"/>)
/// and, for lines written before the format was set, the default one's. Guarded by PythonLogFormatTests and
/// LogsTests.
/// </summary>
public sealed partial class LogLines
{
    private readonly Regex[] _prefixes;

    private LogLines(Regex[] prefixes) => _prefixes = prefixes;

    /// <summary>The reader of a log written with <paramref name="options"/>.</summary>
    public static LogLines For(LoggingOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return new LogLines(options.Format is { } format ? [format.Prefix, DefaultPrefix()] : [DefaultPrefix()]);
    }

    /// <summary>The message of <paramref name="line"/> without its "[venv] " when the line is <paramref name="venv"/>'s; else null.</summary>
    public string? VenvMessage(string line, string venv)
    {
        ArgumentNullException.ThrowIfNull(line);
        var tag = $"[{venv}] ";
        foreach (var prefix in _prefixes)
        {
            var m = prefix.Match(line);
            if (m.Success && string.CompareOrdinal(line, m.Length, tag, 0, tag.Length) == 0)
            {
                return line[(m.Length + tag.Length)..];
            }
        }
        return null;
    }

    /// <summary>What <see cref="LogSetup.FileTemplate"/> puts before the message: time, offset, level.</summary>
    [GeneratedRegex(@"^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d{3} [+-]\d\d:\d\d \[[A-Z]{3}\] ", RegexOptions.CultureInvariant)]
    private static partial Regex DefaultPrefix();
}
