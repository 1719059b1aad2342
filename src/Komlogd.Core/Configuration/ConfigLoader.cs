using System.Globalization;
using System.Text.RegularExpressions;
using Komlogd.Sdk;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Komlogd.Core.Configuration;

/// <summary>
/// Reads komlogd.yaml: a YAML list of one-key maps, as the original komlogd. A mistake outside a package
/// block throws <see cref="ConfigException"/> (the agent cannot run with it); a mistake inside a package
/// or export block only disables that block and is returned in <see cref="KomlogdConfig.PackageErrors"/> or
/// <see cref="KomlogdConfig.ExportErrors"/>.
/// </summary>
public static partial class ConfigLoader
{
    public const string VenvNamePattern = "^[A-Za-z0-9_-]+$";

    [GeneratedRegex(@"^[A-Za-z0-9_-]+\z", RegexOptions.CultureInvariant)]
    private static partial Regex VenvNameRegex();

    private static readonly string[] Blocks = ["username", "keyfile", "logging", "package", "export"];
    private static readonly string[] LoggingKeys = ["level", "rotation", "max_bytes", "backup_count", "dirname", "filename", "format"];
    private static readonly string[] PackageKeys = ["install", "enabled", "venv"];

    /// <exception cref="KomlogdException">The file does not exist (<see cref="Initializer.RequireExists"/>).</exception>
    public static KomlogdConfig Load(string file)
    {
        Initializer.RequireExists(file);
        file = Path.GetFullPath(file);
        string text;
        try
        {
            text = File.ReadAllText(file);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new ConfigException(new ConfigError(file, null, null, null, $"cannot read the configuration file: {e.Message}"));
        }
        return Parse(file, text);
    }

    public static KomlogdConfig Parse(string file, string text)
    {
        var stream = new YamlStream();
        try
        {
            stream.Load(new StringReader(text));
        }
        catch (YamlException e)
        {
            // YamlDotNet's messages start with "(Line: 3, Col: 5, Idx: 20) - (Line: ...): "; the line goes in front.
            var message = e.InnerException is YamlException inner && !string.IsNullOrEmpty(inner.Message) ? inner.Message : e.Message;
            message = LocationPrefix().Replace(message, "");
            throw new ConfigException(new ConfigError(file, (int)e.Start.Line, null, null, $"YAML syntax error: {message}"));
        }

        var config = new KomlogdConfig(file, null, null, new LoggingOptions(), [], []);
        if (stream.Documents.Count == 0 || stream.Documents[0].RootNode is YamlScalarNode { Value: null or "" } and { Tag.IsEmpty: true })
        {
            return config;
        }
        if (stream.Documents.Count > 1)
        {
            throw Error(file, stream.Documents[1].RootNode, null, null, "the file holds more than one YAML document; keep one list");
        }
        if (stream.Documents[0].RootNode is not YamlSequenceNode list)
        {
            throw Error(file, stream.Documents[0].RootNode, null, null,
                "the top level must be a list of one-key maps, e.g. '- username: alice'");
        }

        var packages = new List<PackageBlock>();
        var packageErrors = new List<ConfigError>();
        var exports = new List<Export.ExportBlock>();
        var exportErrors = new List<ConfigError>();
        YamlNode? usernameAt = null, keyfileAt = null, loggingAt = null;
        for (var i = 0; i < list.Children.Count; i++)
        {
            var block = i + 1;
            var item = list.Children[i];
            if (item is not YamlMappingNode { Children.Count: 1 } map)
            {
                throw Error(file, item, block, null,
                    "each item must be a map with exactly one key (username, keyfile, logging, package or export), e.g. '- username: alice'");
            }
            var (keyNode, value) = map.Children.First();
            var key = ((keyNode as YamlScalarNode)?.Value) ?? "";
            switch (key)
            {
                case "username":
                    if (usernameAt is not null)
                    {
                        throw Error(file, keyNode, block, key, "More than one username found in configuration file. Keep only one.");
                    }
                    usernameAt = keyNode;
                    var username = RequireString(file, value, block, key, "username");
                    if (!Uris.IsUsername(username))
                    {
                        throw Error(file, value, block, key, $"username '{username}' must match {Uris.UsernamePattern}");
                    }
                    config = config with { Username = username };
                    break;
                case "keyfile":
                    if (keyfileAt is not null)
                    {
                        throw Error(file, keyNode, block, key, "More than one keyfile found in configuration file. Keep only one.");
                    }
                    keyfileAt = keyNode;
                    config = config with { KeyFileSetting = RequireString(file, value, block, key, "keyfile") };
                    break;
                case "logging":
                    if (loggingAt is not null)
                    {
                        throw Error(file, keyNode, block, key, "More than one logging block found in configuration file. Keep only one.");
                    }
                    loggingAt = keyNode;
                    config = config with { Logging = ParseLogging(file, value, block) };
                    break;
                case "package":
                    try
                    {
                        packages.Add(ParsePackage(file, value, block, (int)keyNode.Start.Line));
                    }
                    catch (ConfigException e)
                    {
                        packageErrors.Add(e.Error);
                    }
                    break;
                case "export":
                    try
                    {
                        exports.Add(Export.ExportBlockParser.Parse(file, value, block, (int)keyNode.Start.Line, exports));
                    }
                    catch (ConfigException e)
                    {
                        exportErrors.Add(e.Error);
                    }
                    break;
                default:
                    throw Error(file, keyNode, block, key.Length == 0 ? null : key,
                        $"unknown block '{key}'; expected one of {string.Join(", ", Blocks)}");
            }
        }
        return config with { Packages = packages, PackageErrors = packageErrors, Exports = exports, ExportErrors = exportErrors };
    }

    private static LoggingOptions ParseLogging(string file, YamlNode node, int block)
    {
        const string key = "logging";
        var options = new LoggingOptions();
        if (node is YamlScalarNode { Value: null or "" })
        {
            return options;
        }
        if (node is not YamlMappingNode map)
        {
            throw Error(file, node, block, key, $"'logging' must be a map of {string.Join(", ", LoggingKeys)}");
        }
        foreach (var (k, v) in map.Children)
        {
            var name = (k as YamlScalarNode)?.Value ?? "";
            options = name switch
            {
                "level" => options with { Level = ParseLevel(file, v, block) },
                "rotation" => options with { Rotation = RequireBool(file, v, block, key, "rotation") },
                "max_bytes" => options with { MaxBytes = RequireInteger(file, v, block, key, "max_bytes", min: 1) },
                "backup_count" => options with { BackupCount = (int)RequireInteger(file, v, block, key, "backup_count", min: 0, max: 1000) },
                "dirname" => options with { Dirname = RequireString(file, v, block, key, "dirname") },
                "filename" => options with { Filename = RequireFileName(file, v, block, key) },
                "format" => options with { Format = ParseFormat(file, v, block) },
                _ => throw Error(file, k, block, key, $"unknown logging setting '{name}'; expected one of {string.Join(", ", LoggingKeys)}"),
            };
        }
        return options;
    }

    private static Serilog.Events.LogEventLevel ParseLevel(string file, YamlNode node, int block)
    {
        var level = RequireString(file, node, block, "logging", "level");
        return LoggingOptions.Levels.TryGetValue(level, out var value)
            ? value
            : throw Error(file, node, block, "logging", $"level '{level}' must be one of {string.Join(", ", LoggingOptions.Levels.Keys)}");
    }

    private static Logging.PythonLogFormat ParseFormat(string file, YamlNode node, int block)
    {
        var format = RequireString(file, node, block, "logging", "format");
        try
        {
            return Logging.PythonLogFormat.Parse(format);
        }
        catch (FormatException e)
        {
            throw Error(file, node, block, "logging", $"format '{format}': {e.Message}");
        }
    }

    private static PackageBlock ParsePackage(string file, YamlNode node, int block, int line)
    {
        const string key = "package";
        if (node is not YamlMappingNode map)
        {
            throw Error(file, node, block, key, "'package' must be a map with install, enabled and venv");
        }
        string? install = null;
        var enabled = true;
        var venv = PackageBlock.DefaultVenv;
        foreach (var (k, v) in map.Children)
        {
            var name = (k as YamlScalarNode)?.Value ?? "";
            switch (name)
            {
                case "install":
                    install = RequireString(file, v, block, key, "install");
                    break;
                case "enabled":
                    enabled = RequireBool(file, v, block, key, "enabled");
                    break;
                case "venv":
                    venv = RequireString(file, v, block, key, "venv");
                    if (!VenvNameRegex().IsMatch(venv))
                    {
                        throw Error(file, v, block, key, $"venv '{venv}' must be default, unique or a name of letters, digits, '_' and '-' ({VenvNamePattern})");
                    }
                    break;
                default:
                    throw Error(file, k, block, key, $"unknown package setting '{name}'; expected one of {string.Join(", ", PackageKeys)}");
            }
        }
        if (install is null)
        {
            throw new ConfigException(new ConfigError(file, line, block, key, "a package block needs 'install' (what to install, e.g. 'install: Kpack.Linux')"));
        }
        return new PackageBlock(block, line, install, enabled, venv);
    }

    internal static string RequireString(string file, YamlNode node, int block, string key, string setting)
    {
        if (node is YamlScalarNode { Value: { Length: > 0 } value } && !string.IsNullOrWhiteSpace(value))
        {
            return value;
        }
        var what = node is YamlScalarNode ? "empty" : node is YamlSequenceNode ? "a list" : "a map";
        throw Error(file, node, block, key, $"'{setting}' must be a non-empty text value, not {what}");
    }

    private static string RequireFileName(string file, YamlNode node, int block, string key)
    {
        var name = RequireString(file, node, block, key, "filename");
        if (name.Contains('/', StringComparison.Ordinal) || name is "." or "..")
        {
            throw Error(file, node, block, key, $"filename '{name}' must be a file name, not a path (put the directory in 'dirname')");
        }
        return name;
    }

    internal static bool RequireBool(string file, YamlNode node, int block, string key, string setting)
    {
        var value = node is YamlScalarNode s ? s.Value : null;
        return value?.ToLowerInvariant() switch
        {
            "yes" or "true" => true,
            "no" or "false" => false,
            _ => throw Error(file, node, block, key, $"'{setting}' must be yes, no, true or false (got '{value ?? Describe(node)}')"),
        };
    }

    internal static long RequireInteger(string file, YamlNode node, int block, string key, string setting, long min, long max = long.MaxValue)
    {
        var value = node is YamlScalarNode s ? s.Value : null;
        if (long.TryParse(value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var number) && number >= min && number <= max)
        {
            return number;
        }
        var range = max == long.MaxValue ? $"≥ {min}" : $"from {min} to {max}";
        throw Error(file, node, block, key, $"'{setting}' must be a whole number {range} (got '{value ?? Describe(node)}')");
    }

    internal static string Describe(YamlNode node) => node switch
    {
        YamlSequenceNode => "a list",
        YamlMappingNode => "a map",
        _ => "",
    };

    internal static ConfigException Error(string file, YamlNode node, int? block, string? key, string rule) =>
        new(new ConfigError(file, node.Start.Line > 0 ? (int)node.Start.Line : null, block, key, rule));

    [GeneratedRegex(@"^\(Line: \d+, Col: \d+, Idx: \d+\) - \(Line: \d+, Col: \d+, Idx: \d+\): ")]
    private static partial Regex LocationPrefix();
}
