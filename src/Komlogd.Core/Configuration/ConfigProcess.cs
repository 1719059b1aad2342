using System.Buffers;
using System.Text;
using Komlogd.Protocol.Json;
using Komlogd.Core.Export;
using Komlogd.Core.Logging;
using Komlogd.Core.Supervision;
using Komlogd.Protocol.Channel;
using Serilog.Events;

namespace Komlogd.Core.Configuration;

/// <summary>
/// The agent reads komlogd.yaml in a process of its own: <c>komlogd --config-for-agent FILE</c> parses it with
/// <see cref="ConfigLoader"/> and writes the result as one JSON line, which <see cref="Load"/> reads back into
/// the same records. YAML is read at a start and a reload, but YamlDotNet, the regular expressions it and the
/// rules use, and their types stayed in a running agent for its life: about 2 MiB of its memory
/// (docs/configuration.md, "Read in a child"; docs/benchmarks.md). A mistake reads exactly as in process: the
/// child sends the <see cref="ConfigError"/> itself.
/// </summary>
internal static class ConfigProcess
{
    /// <summary>The option, first on the command line, that runs the child's side; not in any help.</summary>
    public const string Option = "--config-for-agent";

    /// <summary>
    /// Parses <paramref name="file"/> in a child komlogd (the same binary the agent runs).
    /// </summary>
    /// <exception cref="ConfigException">The file breaks a rule outside a package or export block: the child's error, as in process.</exception>
    /// <exception cref="KomlogdException">The child could not read it or said nothing readable: its one line.</exception>
    public static KomlogdConfig Load(string file)
    {
        var psi = ChildPipes.Komlogd([Option, file]);
        psi.RedirectStandardInput = true;
        // A process that lives for one parse: tier-0 code for what is not precompiled starts it sooner than the
        // agent's own runtimeconfig (tiering off, for a long life) would (54-69 against 69-73 ms here).
        psi.Environment["DOTNET_TieredCompilation"] = "1";
        var process = ChildProcess.Start(psi, $"reading {file}");
        process.StandardInput!.Dispose();
        // Each pipe read on a thread of its own, as plain file streams (ChildPipes).
        using var stdoutPipe = process.StandardOutput;
        using var stderrPipe = process.StandardError;
        var stderr = ChildPipes.ReadToEnd(stderrPipe);
        string output;
        using (var reader = new StreamReader(stdoutPipe))
        {
            output = reader.ReadToEnd();
        }
        var exitCode = process.Exited.GetAwaiter().GetResult();
        var error = stderr.GetAwaiter().GetResult().Trim();
        var line = output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).LastOrDefault(l => l.StartsWith('{'));
        if (line is null)
        {
            throw new KomlogdException(error.Length > 0
                ? error.ReplaceLineEndings(" ")
                : $"{file}: the komlogd that reads it ended with code {exitCode} and said nothing");
        }
        return Read(line);
    }

    /// <summary>The child's side: parse, write one line, exit 0 whatever the file says.</summary>
    public static int Serve(string file)
    {
        string line;
        try
        {
            line = Write(ConfigLoader.Load(file));
        }
        catch (ConfigException e)
        {
            line = WriteError(e.Error);
        }
        catch (KomlogdException e)
        {
            line = WriteMessage(e.Message, e.ExitCode);
        }
        var stdout = Console.Out;
        stdout.WriteLine(line);
        stdout.Flush();
        return ExitCodes.Ok;
    }

    /// <summary>The configuration as the child's line.</summary>
    internal static string Write(KomlogdConfig config) => Json(w =>
    {
        w.WriteStartObject();
        w.WritePropertyName("config");
        w.WriteStartObject();
        w.WriteString("file", config.File);
        w.WriteString("username", config.Username);
        w.WriteString("keyfile", config.KeyFileSetting);
        w.WritePropertyName("logging");
        WriteLogging(w, config.Logging);
        w.WritePropertyName("packages");
        HostWire.WriteObjects(w, config.Packages, (w, p) =>
        {
            w.WriteNumber("block", p.Block);
            w.WriteNumber("line", p.Line);
            w.WriteString("install", p.Install);
            w.WriteBoolean("enabled", p.Enabled);
            w.WriteString("venv", p.Venv);
        });
        WriteErrors(w, "packageErrors", config.PackageErrors);
        w.WriteStartArray("exports");
        foreach (var x in config.Exports)
        {
            WriteExport(w, x);
        }
        w.WriteEndArray();
        WriteErrors(w, "exportErrors", config.ExportErrors);
        w.WriteEndObject();
        w.WriteEndObject();
    });

    /// <summary>
    /// Reads the child's line.
    /// </summary>
    /// <exception cref="ConfigException">The line carries the file's mistake.</exception>
    /// <exception cref="KomlogdException">The line carries another refusal, or is not the child's.</exception>
    internal static KomlogdConfig Read(string line)
    {
        try
        {
            var root = JsonValue.Parse(line);
            if (root.TryGetProperty("error", out var error))
            {
                throw new ConfigException(ReadError(error));
            }
            if (root.TryGetProperty("message", out var message))
            {
                throw new KomlogdException(message.GetString()!, root.GetProperty("exitCode").GetInt32());
            }
            var c = root.GetProperty("config");
            return new KomlogdConfig(
                c.GetProperty("file").GetString()!,
                c.GetProperty("username").GetString(),
                c.GetProperty("keyfile").GetString(),
                ReadLogging(c.GetProperty("logging")),
                [.. c.GetProperty("packages").EnumerateArray().Select(p => new PackageBlock(
                    p.GetProperty("block").GetInt32(), p.GetProperty("line").GetInt32(), p.GetProperty("install").GetString()!,
                    p.GetProperty("enabled").GetBoolean(), p.GetProperty("venv").GetString()!))],
                [.. c.GetProperty("packageErrors").EnumerateArray().Select(ReadError)])
            {
                Exports = [.. c.GetProperty("exports").EnumerateArray().Select(ReadExport)],
                ExportErrors = [.. c.GetProperty("exportErrors").EnumerateArray().Select(ReadError)],
            };
        }
        catch (Exception e) when (e is JsonFormatException or InvalidOperationException or KeyNotFoundException or FormatException)
        {
            throw new KomlogdException($"the komlogd that read the configuration answered something else: {e.Message}");
        }
    }

    private static void WriteLogging(JsonWriter w, LoggingOptions l)
    {
        w.WriteStartObject();
        w.WriteNumber("level", (int)l.Level);
        w.WriteBoolean("rotation", l.Rotation);
        w.WriteNumber("maxBytes", l.MaxBytes);
        w.WriteNumber("backupCount", l.BackupCount);
        w.WriteString("dirname", l.Dirname);
        w.WriteString("filename", l.Filename);
        w.WriteString("format", l.Format?.Format);
        w.WriteEndObject();
    }

    private static LoggingOptions ReadLogging(JsonValue l) => new()
    {
        Level = (LogEventLevel)l.GetProperty("level").GetInt32(),
        Rotation = l.GetProperty("rotation").GetBoolean(),
        MaxBytes = l.GetProperty("maxBytes").GetInt64(),
        BackupCount = l.GetProperty("backupCount").GetInt32(),
        Dirname = l.GetProperty("dirname").GetString()!,
        Filename = l.GetProperty("filename").GetString()!,
        // The child checked it; parsed again here, where its pattern is used.
        Format = l.GetProperty("format").GetString() is { } format ? PythonLogFormat.Parse(format) : null,
    };

    private static void WriteExport(JsonWriter w, ExportBlock x)
    {
        w.WriteStartObject();
        w.WriteString("file", x.File);
        w.WriteNumber("block", x.Block);
        w.WriteNumber("line", x.Line);
        w.WriteNumber("kind", (int)x.Kind);
        w.WriteString("target", x.Target);
        w.WriteString("listenHost", x.ListenHost);
        w.WriteNumber("listenPort", x.ListenPort);
        w.WriteString("bearerTokenFile", x.BearerTokenFile);
        w.WriteString("basicAuthUsername", x.BasicAuthUsername);
        w.WriteString("basicAuthPasswordFile", x.BasicAuthPasswordFile);
        w.WriteString("caFile", x.CaFile);
        w.WriteString("certFile", x.CertFile);
        w.WriteString("keyFile", x.KeyFile);
        WriteStrings(w, "include", x.Include);
        WriteStrings(w, "exclude", x.Exclude);
        w.WriteStartArray("labels");
        foreach (var (name, value) in x.Labels)
        {
            w.WriteStartArray();
            w.WriteStringValue(name);
            w.WriteStringValue(value);
            w.WriteEndArray();
        }
        w.WriteEndArray();
        w.WriteString("instance", x.Instance);
        w.WriteNumber("batch", x.Batch);
        w.WriteNumber("timeoutTicks", x.Timeout.Ticks);
        w.WriteBoolean("fromOldest", x.FromOldest);
        w.WriteEndObject();
    }

    private static ExportBlock ReadExport(JsonValue x) => new()
    {
        File = x.GetProperty("file").GetString()!,
        Block = x.GetProperty("block").GetInt32(),
        Line = x.GetProperty("line").GetInt32(),
        Kind = (ExportKind)x.GetProperty("kind").GetInt32(),
        Target = x.GetProperty("target").GetString()!,
        ListenHost = x.GetProperty("listenHost").GetString()!,
        ListenPort = x.GetProperty("listenPort").GetInt32(),
        BearerTokenFile = x.GetProperty("bearerTokenFile").GetString(),
        BasicAuthUsername = x.GetProperty("basicAuthUsername").GetString(),
        BasicAuthPasswordFile = x.GetProperty("basicAuthPasswordFile").GetString(),
        CaFile = x.GetProperty("caFile").GetString(),
        CertFile = x.GetProperty("certFile").GetString(),
        KeyFile = x.GetProperty("keyFile").GetString(),
        Include = ReadStrings(x.GetProperty("include")),
        Exclude = ReadStrings(x.GetProperty("exclude")),
        Labels = [.. x.GetProperty("labels").EnumerateArray().Select(l => KeyValuePair.Create(l[0].GetString()!, l[1].GetString()!))],
        Instance = x.GetProperty("instance").GetString()!,
        Batch = x.GetProperty("batch").GetInt32(),
        Timeout = TimeSpan.FromTicks(x.GetProperty("timeoutTicks").GetInt64()),
        FromOldest = x.GetProperty("fromOldest").GetBoolean(),
    };

    private static void WriteStrings(JsonWriter w, string name, IReadOnlyList<string> values)
    {
        w.WritePropertyName(name);
        HostWire.WriteStrings(w, values);
    }

    private static string[] ReadStrings(JsonValue e) => HostWire.Strings(e);

    private static void WriteErrors(JsonWriter w, string name, IReadOnlyList<ConfigError> errors)
    {
        w.WriteStartArray(name);
        foreach (var e in errors)
        {
            WriteError(w, e);
        }
        w.WriteEndArray();
    }

    private static void WriteError(JsonWriter w, ConfigError e)
    {
        w.WriteStartObject();
        w.WriteString("file", e.File);
        if (e.Line is { } line)
        {
            w.WriteNumber("line", line);
        }
        if (e.Block is { } block)
        {
            w.WriteNumber("block", block);
        }
        w.WriteString("blockKey", e.BlockKey);
        w.WriteString("rule", e.Rule);
        w.WriteEndObject();
    }

    private static ConfigError ReadError(JsonValue e) => new(
        e.GetProperty("file").GetString()!,
        e.TryGetProperty("line", out var line) ? line.GetInt32() : null,
        e.TryGetProperty("block", out var block) ? block.GetInt32() : null,
        e.GetProperty("blockKey").GetString(),
        e.GetProperty("rule").GetString()!);

    private static string WriteError(ConfigError error) => Json(w =>
    {
        w.WriteStartObject();
        w.WritePropertyName("error");
        WriteError(w, error);
        w.WriteEndObject();
    });

    private static string WriteMessage(string message, int exitCode) => Json(w =>
    {
        w.WriteStartObject();
        w.WriteString("message", message);
        w.WriteNumber("exitCode", exitCode);
        w.WriteEndObject();
    });

    private static string Json(Action<JsonWriter> write)
    {
        var buffer = new ArrayBufferWriter<byte>();
        write(new JsonWriter(buffer));
        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }
}
