using System.Globalization;
using System.Net;
using System.Text.RegularExpressions;
using Komlogd.Core.Configuration;
using YamlDotNet.RepresentationModel;

namespace Komlogd.Core.Export;

/// <summary>
/// Reads one <c>- export:</c> block of komlogd.yaml. A mistake throws <see cref="ConfigException"/>, which
/// the loader turns into a disabled block (the others run). Files named here are only resolved: whether
/// they can be read is checked when the block starts (ExportManager), so a reload sees a fixed file.
/// </summary>
internal static partial class ExportBlockParser
{
    private const string Key = "export";
    private const string RemoteWrite = "prometheus_remote_write";
    private const string Listen = "prometheus_listen";

    private static readonly string[] Settings =
        [RemoteWrite, Listen, "include", "exclude", "labels", "instance", "batch", "timeout", "from", "bearer_token_file", "basic_auth", "ca_file", "cert_file", "key_file"];

    /// <summary>Settings of a push; a listen block has none of them.</summary>
    private static readonly string[] PushOnly = ["instance", "batch", "timeout", "from", "bearer_token_file", "basic_auth", "ca_file", "cert_file", "key_file"];

    public const int MaxBatch = 100_000;
    private static readonly TimeSpan MaxTimeout = TimeSpan.FromMinutes(10);

    [GeneratedRegex(@"^[a-zA-Z_][a-zA-Z0-9_]*\z", RegexOptions.CultureInvariant)]
    private static partial Regex LabelNameRegex();

    [GeneratedRegex(@"^(\d{1,9})(ms|s|m)\z", RegexOptions.CultureInvariant)]
    private static partial Regex DurationRegex();

    /// <param name="earlier">The valid blocks before this one: two blocks may not share a target.</param>
    public static ExportBlock Parse(string file, YamlNode node, int block, int line, IReadOnlyList<ExportBlock> earlier)
    {
        if (node is not YamlMappingNode map)
        {
            throw ConfigLoader.Error(file, node, block, Key, $"'export' must be a map with one target ({RemoteWrite}: URL or {Listen}: HOST:PORT) and its settings");
        }
        var configDir = Path.GetDirectoryName(file)!;
        var settings = new Dictionary<string, (YamlNode Key, YamlNode Value)>(StringComparer.Ordinal);
        foreach (var (k, v) in map.Children)
        {
            var name = (k as YamlScalarNode)?.Value ?? "";
            if (!Settings.Contains(name))
            {
                throw ConfigLoader.Error(file, k, block, Key, $"unknown export setting '{name}'; expected one of {string.Join(", ", Settings)}");
            }
            settings[name] = (k, v);
        }
        var result = (settings.ContainsKey(RemoteWrite), settings.ContainsKey(Listen)) switch
        {
            (true, true) => throw ConfigLoader.Error(file, settings[Listen].Key, block, Key, $"an export block has one target; this one has {RemoteWrite} and {Listen} (write two blocks)"),
            (false, false) => throw new ConfigException(new ConfigError(file, line, block, Key, $"an export block needs a target: '{RemoteWrite}: URL' or '{Listen}: HOST:PORT'")),
            (true, false) => ParseRemoteWrite(file, settings, block, line, configDir),
            (false, true) => ParseListen(file, settings, block, line),
        };
        result = result with
        {
            Include = Globs(file, settings, block, "include"),
            Exclude = Globs(file, settings, block, "exclude"),
            Labels = settings.TryGetValue("labels", out var labels) ? ParseLabels(file, labels.Value, block) : [],
        };
        if (earlier.FirstOrDefault(e => e.Target == result.Target) is { } twin)
        {
            throw new ConfigException(new ConfigError(file, line, block, Key, $"block {twin.Block} already exports to {result.Target}; one block per target"));
        }
        return result;
    }

    private static ExportBlock ParseRemoteWrite(string file, Dictionary<string, (YamlNode Key, YamlNode Value)> settings, int block, int line, string configDir)
    {
        var target = settings[RemoteWrite].Value;
        var url = ConfigLoader.RequireString(file, target, block, Key, RemoteWrite).Trim();
        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https") || string.IsNullOrEmpty(uri.Host))
        {
            throw ConfigLoader.Error(file, target, block, Key, $"{RemoteWrite} '{url}' must be an http:// or https:// URL, e.g. https://prom.example:9090/api/v1/write");
        }
        string? FilePath(string name) => settings.TryGetValue(name, out var s)
            ? Path.GetFullPath(ConfigLoader.RequireString(file, s.Value, block, Key, name), configDir)
            : null;
        var result = new ExportBlock
        {
            File = file,
            Block = block,
            Line = line,
            Kind = ExportKind.RemoteWrite,
            Target = url,
            BearerTokenFile = FilePath("bearer_token_file"),
            CaFile = FilePath("ca_file"),
            CertFile = FilePath("cert_file"),
            KeyFile = FilePath("key_file"),
        };
        if (settings.TryGetValue("basic_auth", out var basic))
        {
            if (result.BearerTokenFile is not null)
            {
                throw ConfigLoader.Error(file, basic.Key, block, Key, "use bearer_token_file or basic_auth, not both");
            }
            result = ParseBasicAuth(file, basic.Value, block, configDir, result);
        }
        if ((result.CertFile is null) != (result.KeyFile is null))
        {
            var given = settings.TryGetValue("cert_file", out var c) ? c.Key : settings["key_file"].Key;
            throw ConfigLoader.Error(file, given, block, Key, "cert_file and key_file go together (the client certificate and its private key, PEM)");
        }
        if (uri.Scheme == "http" && (result.CaFile ?? result.CertFile) is not null)
        {
            var tls = settings.TryGetValue("ca_file", out var ca) ? ca.Key : settings["cert_file"].Key;
            throw ConfigLoader.Error(file, tls, block, Key, $"ca_file, cert_file and key_file need an https:// target, not {url}");
        }
        if (settings.TryGetValue("instance", out var instance))
        {
            result = result with { Instance = ConfigLoader.RequireString(file, instance.Value, block, Key, "instance") };
        }
        if (settings.TryGetValue("batch", out var batch))
        {
            result = result with { Batch = (int)ConfigLoader.RequireInteger(file, batch.Value, block, Key, "batch", min: 1, max: MaxBatch) };
        }
        if (settings.TryGetValue("timeout", out var timeout))
        {
            result = result with { Timeout = ParseDuration(file, timeout.Value, block) };
        }
        if (settings.TryGetValue("from", out var from))
        {
            var value = ConfigLoader.RequireString(file, from.Value, block, Key, "from");
            result = result with
            {
                FromOldest = value switch
                {
                    "oldest" => true,
                    "now" => false,
                    _ => throw ConfigLoader.Error(file, from.Value, block, Key, $"'from' must be now (the default: samples committed from now on) or oldest (the whole store), not '{value}'"),
                },
            };
        }
        return result;
    }

    private static ExportBlock ParseBasicAuth(string file, YamlNode node, int block, string configDir, ExportBlock result)
    {
        if (node is not YamlMappingNode map)
        {
            throw ConfigLoader.Error(file, node, block, Key, "'basic_auth' must be a map: {username: NAME, password_file: FILE}");
        }
        string? username = null, passwordFile = null;
        foreach (var (k, v) in map.Children)
        {
            switch ((k as YamlScalarNode)?.Value)
            {
                case "username":
                    username = ConfigLoader.RequireString(file, v, block, Key, "username");
                    break;
                case "password_file":
                    passwordFile = Path.GetFullPath(ConfigLoader.RequireString(file, v, block, Key, "password_file"), configDir);
                    break;
                case var other:
                    throw ConfigLoader.Error(file, k, block, Key, $"unknown basic_auth setting '{other}'; expected username and password_file (the password is read from a file, never written in komlogd.yaml)");
            }
        }
        if (username is null || passwordFile is null)
        {
            throw ConfigLoader.Error(file, node, block, Key, "'basic_auth' needs username and password_file");
        }
        return result with { BasicAuthUsername = username, BasicAuthPasswordFile = passwordFile };
    }

    private static ExportBlock ParseListen(string file, Dictionary<string, (YamlNode Key, YamlNode Value)> settings, int block, int line)
    {
        if (PushOnly.FirstOrDefault(settings.ContainsKey) is { } push)
        {
            throw ConfigLoader.Error(file, settings[push].Key, block, Key,
                $"'{push}' applies to {RemoteWrite} only; a {Listen} block serves /metrics and Prometheus sets job and instance when it scrapes");
        }
        var node = settings[Listen].Value;
        var address = ConfigLoader.RequireString(file, node, block, Key, Listen).Trim();
        var colon = address.LastIndexOf(':');
        var host = colon > 0 ? address[..colon] : "";
        var bare = host.StartsWith('[') && host.EndsWith(']') ? host[1..^1] : host;
        var validHost = host is "*" or "localhost"
            || (IPAddress.TryParse(bare, out var ip) && (ip.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork) == (bare == host));
        if (!validHost || !int.TryParse(address[(colon + 1)..], NumberStyles.None, CultureInfo.InvariantCulture, out var port) || port is < 1 or > 65535)
        {
            throw ConfigLoader.Error(file, node, block, Key,
                $"{Listen} '{address}' must be HOST:PORT, HOST an IP address (IPv6 in brackets), localhost or *, PORT 1 to 65535, e.g. 127.0.0.1:9465");
        }
        return new ExportBlock
        {
            File = file,
            Block = block,
            Line = line,
            Kind = ExportKind.Listen,
            Target = $"http://{host}:{port}/metrics",
            ListenHost = host,
            ListenPort = port,
        };
    }

    private static IReadOnlyList<string> Globs(string file, Dictionary<string, (YamlNode Key, YamlNode Value)> settings, int block, string name)
    {
        if (!settings.TryGetValue(name, out var setting))
        {
            return [];
        }
        // One glob, or a list of them.
        var nodes = setting.Value is YamlSequenceNode list ? list.Children : [setting.Value];
        var globs = new List<string>();
        foreach (var node in nodes)
        {
            var glob = ConfigLoader.RequireString(file, node, block, Key, name);
            if (UriFilter.Check(glob) is { } rule)
            {
                throw ConfigLoader.Error(file, node, block, Key, $"{name}: {rule}");
            }
            globs.Add(glob);
        }
        return globs;
    }

    private static List<KeyValuePair<string, string>> ParseLabels(string file, YamlNode node, int block)
    {
        if (node is not YamlMappingNode map)
        {
            throw ConfigLoader.Error(file, node, block, Key, "'labels' must be a map of label names to values, e.g. {env: prod}");
        }
        var labels = new List<KeyValuePair<string, string>>();
        foreach (var (k, v) in map.Children)
        {
            var name = (k as YamlScalarNode)?.Value ?? "";
            if (!LabelNameRegex().IsMatch(name) || name.StartsWith("__", StringComparison.Ordinal))
            {
                throw ConfigLoader.Error(file, k, block, Key, $"label name '{name}' must match [a-zA-Z_][a-zA-Z0-9_]* and not start with '__'");
            }
            if (SeriesNames.Reserved.Contains(name))
            {
                throw ConfigLoader.Error(file, k, block, Key, $"label '{name}' is set by komlogd (job, instance, uri); choose another name, or set 'instance:' for instance");
            }
            labels.Add(new(name, ConfigLoader.RequireString(file, v, block, Key, name)));
        }
        labels.Sort((a, b) => string.CompareOrdinal(a.Key, b.Key));
        return labels;
    }

    private static TimeSpan ParseDuration(string file, YamlNode node, int block)
    {
        var text = (node as YamlScalarNode)?.Value ?? "";
        var match = DurationRegex().Match(text);
        var value = match.Success ? long.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture) : 0;
        var span = match.Groups[2].Value switch
        {
            "ms" => TimeSpan.FromMilliseconds(value),
            "s" => TimeSpan.FromSeconds(value),
            "m" => TimeSpan.FromMinutes(value),
            _ => TimeSpan.Zero,
        };
        if (span <= TimeSpan.Zero || span > MaxTimeout)
        {
            throw ConfigLoader.Error(file, node, block, Key, $"'timeout' must be a duration from 1ms to 10m such as 500ms, 10s or 1m (got '{(text.Length > 0 ? text : ConfigLoader.Describe(node))}')");
        }
        return span;
    }
}
