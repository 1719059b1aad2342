using System.Text.Json;
using Komlogd.Sdk;
using Kpack.Linux.Publishing;

namespace Kpack.Linux;

/// <summary>
/// The package's settings: a JSON file (see README.md) and a few environment variables. Guarded by
/// SettingsTests.
/// </summary>
/// <param name="BaseUri">The uri the hosts go under (<c>pkg.kpack_linux</c>).</param>
/// <param name="Source">The local machine's source.</param>
/// <param name="Hosts">The hosts to collect, the local one first when it is collected.</param>
/// <param name="Timeout">How long one host's sar (or ssh) may take; always below the period of <paramref name="Minute"/>.</param>
/// <param name="File">The settings file read, or null.</param>
/// <param name="Minute">When the collection runs: a cron minute field (the original's <c>SCHED</c>).</param>
internal sealed record KpackSettings(string BaseUri, SourceMode Source, IReadOnlyList<HostSettings> Hosts, TimeSpan Timeout, string? File, string Minute = CollectionMinute.Default)
{
    /// <summary>The timeout when the file sets none.</summary>
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(30);

    // sar and ssh need a few seconds; a run must end this long before the next one starts.
    private const int MinTimeoutSeconds = 5;
    private const int TimeoutMarginSeconds = 5;

    /// <summary>The environment variable naming the settings file.</summary>
    public const string FileVariable = "KPACK_LINUX_SETTINGS";

    /// <summary>The environment variable that overrides <c>source</c>.</summary>
    public const string SourceVariable = "KPACK_LINUX_SOURCE";

    /// <summary>The environment variable that overrides the local host's name.</summary>
    public const string HostnameVariable = "KPACK_LINUX_HOSTNAME";

    /// <summary>The schedule <see cref="Minute"/> makes, run once at load too.</summary>
    public CronSchedule Schedule => new(minute: Minute) { ExecOnLoad = true };

    /// <summary>The uri of a host's resources: <c>&lt;base&gt;.&lt;host&gt;.system.resources</c>.</summary>
    public string ResourcesUri(HostSettings host) => $"{BaseUri}.{host.Name}.system.resources";

    /// <summary>Reads the settings from the process environment and the file it names (or the default file).</summary>
    /// <exception cref="InvalidDataException">The file or a variable is wrong; the message names it and the rule.</exception>
    public static KpackSettings FromEnvironment() => Read(Environment.GetEnvironmentVariable, Environment.MachineName);

    /// <summary>Reads the settings through <paramref name="variable"/> (tests give a dictionary).</summary>
    public static KpackSettings Read(Func<string, string?> variable, string machineName)
    {
        ArgumentNullException.ThrowIfNull(variable);
        var path = variable(FileVariable);
        if (string.IsNullOrEmpty(path))
        {
            var config = variable("XDG_CONFIG_HOME") is { Length: > 0 } xdg ? xdg
                : Path.Combine(variable("HOME") ?? Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".config");
            var candidate = Path.Combine(config, "kpack_linux", "settings.json");
            path = System.IO.File.Exists(candidate) ? candidate : null;
        }
        else if (!System.IO.File.Exists(path))
        {
            throw new InvalidDataException($"kpack_linux settings: {FileVariable} names '{path}', which does not exist");
        }
        var settings = path is null ? Defaults(machineName, variable) : Parse(System.IO.File.ReadAllText(path), path, machineName, variable);
        if (variable(SourceVariable) is { Length: > 0 } source)
        {
            settings = settings with { Source = ParseSource(source, $"environment variable {SourceVariable}") };
        }
        return settings;
    }

    private static KpackSettings Defaults(string machineName, Func<string, string?> variable) =>
        new(UriNames.DefaultBaseUri, SourceMode.Auto, [new HostSettings(LocalName(machineName, variable), null)], DefaultTimeout, null);

    private static string LocalName(string machineName, Func<string, string?> variable)
    {
        var (name, where) = variable(HostnameVariable) is { Length: > 0 } set ? (set, $"environment variable {HostnameVariable}") : (machineName, "the machine's name");
        return HostLevels(name, $"kpack_linux settings: {where}");
    }

    /// <summary>A host name as uri levels (<see cref="UriNames.Host"/>), or the reason it cannot be one.</summary>
    private static string HostLevels(string name, string where) =>
        UriNames.Host(name) ?? throw new InvalidDataException($"{where}: host name '{name}' has no letter or digit to make a uri level of");

    /// <summary>Parses the JSON text of a settings file.</summary>
    internal static KpackSettings Parse(string json, string file, string machineName, Func<string, string?> variable)
    {
        JsonDocument doc;
        try
        {
            doc = JsonDocument.Parse(json, new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"kpack_linux settings {file}: not valid JSON: {e.Message}", e);
        }
        using (doc)
        {
            string Where(string what) => $"kpack_linux settings {file}: {what}";
            var root = doc.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                throw new InvalidDataException(Where("the file must hold one JSON object"));
            }
            var result = Defaults(machineName, variable);
            var local = true;
            int? timeout = null;
            var hosts = new List<HostSettings>();
            foreach (var p in root.EnumerateObject())
            {
                switch (p.Name)
                {
                    case "baseUri":
                        var baseUri = p.Value.ValueKind == JsonValueKind.String ? p.Value.GetString() : null;
                        if (!Uris.TryValidateLocal(baseUri, out var error))
                        {
                            throw new InvalidDataException(Where($"baseUri: {error}"));
                        }
                        result = result with { BaseUri = baseUri };
                        break;
                    case "source":
                        result = result with { Source = ParseSource(p.Value.ValueKind == JsonValueKind.String ? p.Value.GetString() : null, Where("source")) };
                        break;
                    case "local":
                        local = p.Value.ValueKind switch
                        {
                            JsonValueKind.True => true,
                            JsonValueKind.False => false,
                            _ => throw new InvalidDataException(Where("local must be true or false")),
                        };
                        break;
                    case "minute":
                        var minute = p.Value.ValueKind == JsonValueKind.String ? p.Value.GetString() : null;
                        if (CollectionMinute.Check(minute) is { } minuteError)
                        {
                            throw new InvalidDataException(Where($"minute: {minuteError} (e.g. \"*/5\" for every five minutes)"));
                        }
                        result = result with { Minute = minute! };
                        break;
                    case "timeoutSeconds":
                        timeout = p.Value.TryGetInt32(out var seconds) ? seconds : -1;
                        break;
                    case "hosts":
                        if (p.Value.ValueKind != JsonValueKind.Array)
                        {
                            throw new InvalidDataException(Where("hosts must be a list of {\"name\": ..., \"ssh\": [...]}"));
                        }
                        var i = 0;
                        foreach (var h in p.Value.EnumerateArray())
                        {
                            hosts.Add(ParseHost(h, Where($"hosts[{i++}]")));
                        }
                        break;
                    default:
                        throw new InvalidDataException(Where($"unknown setting '{p.Name}' (known: baseUri, source, local, minute, timeoutSeconds, hosts)"));
                }
            }
            // After the loop: the bound depends on minute, which may come later in the file.
            var period = CollectionMinute.Period(result.Minute);
            var maxTimeout = (int)period.TotalSeconds - TimeoutMarginSeconds;
            if (timeout is { } t)
            {
                if (t < MinTimeoutSeconds || t > maxTimeout)
                {
                    throw new InvalidDataException(Where($"timeoutSeconds must be a whole number from {MinTimeoutSeconds} to {maxTimeout} "
                        + $"(runs of minute '{result.Minute}' can be {period.TotalMinutes:0} minute(s) apart; a run ends before the next starts)"));
                }
                result = result with { Timeout = TimeSpan.FromSeconds(t) };
            }
            var all = (local ? result.Hosts : []).Concat(hosts).ToList();
            if (all.Count == 0)
            {
                throw new InvalidDataException(Where("nothing to collect: local is false and hosts is empty"));
            }
            if (all.GroupBy(h => h.Name, StringComparer.Ordinal).FirstOrDefault(g => g.Count() > 1) is { } twice)
            {
                throw new InvalidDataException(Where($"two hosts have the name '{twice.Key}' (the local host is named after the machine; set {HostnameVariable} or rename)"));
            }
            return result with { Hosts = all, File = file };
        }
    }

    private static HostSettings ParseHost(JsonElement h, string where)
    {
        if (h.ValueKind != JsonValueKind.Object)
        {
            throw new InvalidDataException($"{where}: must be an object with name and ssh");
        }
        string? name = null;
        List<string>? ssh = null;
        foreach (var p in h.EnumerateObject())
        {
            switch (p.Name)
            {
                case "name" when p.Value.ValueKind == JsonValueKind.String:
                    name = p.Value.GetString();
                    break;
                case "ssh" when p.Value.ValueKind == JsonValueKind.Array:
                    ssh = [.. p.Value.EnumerateArray().Select(a => a.ValueKind == JsonValueKind.String ? a.GetString()! : throw new InvalidDataException($"{where}: ssh must be a list of strings"))];
                    break;
                case "ssh":
                    throw new InvalidDataException($"{where}: ssh must be a list of strings, e.g. [\"ssh\", \"-o\", \"BatchMode=yes\", \"alice@web1\"] (no shell parses it)");
                default:
                    throw new InvalidDataException($"{where}: unknown or mistyped '{p.Name}' (known: name, a string; ssh, a list of strings)");
            }
        }
        if (string.IsNullOrWhiteSpace(name))
        {
            throw new InvalidDataException($"{where}: name is required");
        }
        if (ssh is not { Count: > 0 } || string.IsNullOrWhiteSpace(ssh[0]))
        {
            throw new InvalidDataException($"{where}: ssh is required: the command that reaches the host, as a list of strings");
        }
        return new HostSettings(HostLevels(name, where), ssh);
    }

    private static SourceMode ParseSource(string? value, string where) => value switch
    {
        "auto" => SourceMode.Auto,
        "sar" => SourceMode.Sar,
        "proc" => SourceMode.Proc,
        _ => throw new InvalidDataException($"{where}: '{value}' is not a source (auto, sar or proc)"),
    };
}
