using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace Komlogd.Core.Logging;

/// <summary>
/// The original's <c>logging.format</c>: a Python logging format string (<c>%(asctime)s - %(levelname)s -
/// %(message)s</c>) turned into a Serilog output template, and into the pattern of the text a line carries
/// before its message, so <c>komlogd logs VENV</c> and the console find a venv's lines whatever the format
/// (<see cref="LogLines"/>). Guarded by PythonLogFormatTests.
/// </summary>
/// <remarks>
/// Every LogRecord attribute of Python's logging is accepted. Those the agent has are rendered
/// (<see cref="Fields"/>); the ones that name Python source code (<c>filename</c>, <c>lineno</c>,
/// <c>funcName</c>, …) have no counterpart in a .NET agent and are rendered as <c>-</c>. A venv's lines
/// carry "[venv] " at the start of the message, as with the default format.
/// </remarks>
public sealed partial class PythonLogFormat
{
    /// <summary>Python's attributes the agent renders, with the Serilog token and the pattern of what it renders.</summary>
    private static readonly Dictionary<string, (string Token, string Pattern)> Fields = new(StringComparer.Ordinal)
    {
        // Python's default asctime: local time, "2026-11-25 13:09:14,331".
        ["asctime"] = ("Timestamp:yyyy-MM-dd HH:mm:ss,fff", @"\d{4}-\d\d-\d\d \d\d:\d\d:\d\d,\d{3}"),
        ["created"] = ("Created", @"\d+\.\d+"),
        ["msecs"] = ("Timestamp:fff", @"\d{3}"),
        ["relativeCreated"] = ("RelativeCreated", @"\d+"),
        ["levelname"] = ("LevelName", "[A-Z]+"),
        ["levelno"] = ("LevelNo", @"\d+"),
        ["name"] = ("LoggerName", "komlogd"),
        ["processName"] = ("ProcessName", "[A-Za-z0-9_-]+"),
        ["process"] = ("ProcessId", @"\d+"),
        ["thread"] = ("ThreadId", @"\d+"),
        ["threadName"] = ("ThreadName", @"Thread-\d+"),
    };

    /// <summary>Python's attributes about its own source code: accepted, rendered as <c>-</c>.</summary>
    private static readonly string[] Absent = ["filename", "lineno", "pathname", "module", "funcName", "taskName"];

    private PythonLogFormat(string format, string template, Regex prefix)
    {
        Format = format;
        OutputTemplate = template;
        Prefix = prefix;
    }

    /// <summary>The format as written in komlogd.yaml.</summary>
    public string Format { get; }

    /// <summary>The Serilog output template it maps to, ending in a new line and the exception.</summary>
    public string OutputTemplate { get; }

    /// <summary>Matches what a line of this format holds before its message (where a venv's "[venv] " is).</summary>
    public Regex Prefix { get; }

    /// <summary>Maps <paramref name="format"/>; a mistake is a <see cref="FormatException"/> naming the rule it breaks.</summary>
    public static PythonLogFormat Parse(string format)
    {
        ArgumentNullException.ThrowIfNull(format);
        var template = new StringBuilder();
        var prefix = new StringBuilder("^");
        var inPrefix = true;
        var at = 0;
        foreach (Match m in SpecifierRegex().Matches(format))
        {
            Literal(format[at..m.Index]);
            at = m.Index + m.Length;
            if (m.Value == "%%")
            {
                Literal("%");
                continue;
            }
            if (!m.Groups["name"].Success)
            {
                throw new FormatException($"'{m.Value}' at position {m.Index + 1}: a '%' starts %(name)s (e.g. %(message)s) or is written %%");
            }
            var name = m.Groups["name"].Value;
            var left = m.Groups["flags"].Value.Contains('-', StringComparison.Ordinal);
            var width = m.Groups["width"].Success ? int.Parse(m.Groups["width"].Value, CultureInfo.InvariantCulture) : 0;
            if (name == "message")
            {
                if (!inPrefix)
                {
                    throw new FormatException("%(message)s appears twice");
                }
                template.Append("{VenvTag}{Message:lj}");
                inPrefix = false;
            }
            else if (Fields.TryGetValue(name, out var field))
            {
                var colon = field.Token.IndexOf(':', StringComparison.Ordinal);
                var (property, spec) = colon < 0 ? (field.Token, "") : (field.Token[..colon], field.Token[colon..]);
                var align = width == 0 ? "" : $",{(left ? "-" : "")}{width}";
                template.Append('{').Append(property).Append(align).Append(spec).Append('}');
                Pattern($"({field.Pattern})", width > 0);
            }
            else if (Absent.Contains(name))
            {
                var dash = width == 0 ? "-" : left ? "-".PadRight(width) : "-".PadLeft(width);
                Literal(dash);
            }
            else
            {
                throw new FormatException($"%({name}) is not a Python logging attribute (known: message, {string.Join(", ", Fields.Keys.Concat(Absent))})");
            }
        }
        Literal(format[at..]);
        if (inPrefix)
        {
            throw new FormatException("the format has no %(message)s: its lines would not say what happened");
        }
        template.Append("{NewLine}{Exception}");
        return new PythonLogFormat(format, template.ToString(), new Regex(prefix.ToString(), RegexOptions.CultureInvariant));

        void Literal(string text)
        {
            template.Append(text.Replace("{", "{{", StringComparison.Ordinal).Replace("}", "}}", StringComparison.Ordinal));
            Pattern(Regex.Escape(text), padded: false);
        }

        void Pattern(string pattern, bool padded)
        {
            if (inPrefix)
            {
                prefix.Append(padded ? $" *{pattern} *" : pattern);
            }
        }
    }

    // %% or %(name)<flags><width>[.precision]<type>, as Python's %-style; anything else after a % is a mistake.
    [GeneratedRegex(@"%%|%\((?<name>[A-Za-z_][A-Za-z0-9_]*)\)(?<flags>[-#0 +]*)(?<width>\d+)?(\.\d+)?[sdifFeEgGrxXoac]|%")]
    private static partial Regex SpecifierRegex();
}
