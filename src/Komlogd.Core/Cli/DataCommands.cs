using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using Komlogd.Core.Configuration;
using Komlogd.Core.Control;
using Komlogd.Core.Store;
using Komlogd.Sdk;

namespace Komlogd.Core.Cli;

/// <summary><c>komlogd data ls|get</c>: read the store.</summary>
internal static class DataCommands
{
    public static Command Create()
    {
        var data = new Command("data", "Read the embedded store");

        var prefix = new Argument<string?>("PREFIX") { Description = "Only uris equal to or below this one", Arity = ArgumentArity.ZeroOrOne };
        var ls = new Command("ls", "List uris with their sample counts and last sample time") { prefix };
        ls.SetAction(result => CommandGuard.Run(() =>
        {
            var p = result.GetValue(prefix);
            if (p is not null && !Uris.TryValidate(p, out var error))
            {
                throw new KomlogdException(error);
            }
            using var store = OpenStore(result);
            var rows = store.List(p);
            foreach (var row in rows)
            {
                var last = row.Last is { } l ? SampleTime.Format(l) : "-";
                Console.Out.WriteLine($"{row.Uri}\t{row.Type.Name()}\t{row.Count}\t{last}");
            }
            return ExitCodes.Ok;
        }));

        var uri = new Argument<string>("URI") { Description = "The uri to read" };
        var from = new Option<string?>("--from") { Description = "Oldest time (ISO-8601; UTC unless an offset is given)", HelpName = "T" };
        var to = new Option<string?>("--to") { Description = "Newest time (ISO-8601; UTC unless an offset is given)", HelpName = "T" };
        var count = new Option<int?>("--count") { Description = "At most N samples, newest first", HelpName = "N" };
        var json = new Option<bool>("--json") { Description = "A JSON array of {uri, t, type, value}" };
        var get = new Command("get", "Print the samples of a uri, newest first") { uri, from, to, count, json };
        get.SetAction(result => CommandGuard.Run(() =>
        {
            var u = result.GetValue(uri)!;
            if (!Uris.TryValidate(u, out var error))
            {
                throw new KomlogdException(error);
            }
            var n = result.GetValue(count);
            if (n is < 1)
            {
                throw new KomlogdException($"--count must be 1 or more (got {n})");
            }
            var f = ParseTime(result.GetValue(from), "--from");
            var t = ParseTime(result.GetValue(to), "--to");
            using var store = OpenStore(result);
            var samples = store.Get(u, f, t, n);
            if (result.GetValue(json))
            {
                Console.Out.WriteLine(JsonSerializer.Serialize(samples.Select(s => new JsonSample(s)).ToArray(), StoreJson.Default.JsonSampleArray));
            }
            else
            {
                foreach (var s in samples)
                {
                    Console.Out.WriteLine($"{SampleTime.Format(s.T)}\t{s.Value}");
                }
            }
            return ExitCodes.Ok;
        }));

        var file = new Argument<string?>("FILE") { Description = "JSON from 'data get --json' (an array, or one object per line); '-' or none: stdin", Arity = ArgumentArity.ZeroOrOne };
        var import = new Command("import", "Store samples from JSON, as 'data get --json' prints them") { file };
        import.SetAction((result, ct) => CommandGuard.Run(async () =>
        {
            var path = result.GetValue(file);
            var text = path is null or "-" ? await Console.In.ReadToEndAsync(ct).ConfigureAwait(false) : ReadFile(path);
            var samples = SampleImport.Parse(text, path ?? "stdin");
            // Through a running agent, so its subscribers hear of the samples; straight to the store when none runs.
            using var agent = await ControlClient.TryConnectAsync(KomlogdConfig.SocketIn(ConfigDir(result)), ct).ConfigureAwait(false);
            int stored;
            if (agent is not null)
            {
                stored = await SampleImport.StoreAsync(samples, batch => agent.InsertAsync(batch.Select(SampleImport.ToControl).ToList(), ct)).ConfigureAwait(false);
            }
            else
            {
                using var store = OpenStore(result);
                stored = await SampleImport.StoreAsync(samples, batch => store.Insert(batch)).ConfigureAwait(false);
            }
            Console.Out.WriteLine($"{stored} samples stored");
            return ExitCodes.Ok;
        }));

        data.Subcommands.Add(ls);
        data.Subcommands.Add(get);
        data.Subcommands.Add(import);
        return data;
    }

    internal static SampleStore OpenStore(ParseResult result)
    {
        var configFile = ConfigFile(result);
        var config = ConfigLoader.Load(configFile);
        return SampleStore.Open(config.StoreFile, config.Username);
    }

    private static string ConfigFile(ParseResult result) => KomlogdCommand.ExistingConfigFile(result);

    private static string ConfigDir(ParseResult result) => Path.GetDirectoryName(ConfigFile(result))!;

    private static string ReadFile(string path)
    {
        try
        {
            return File.ReadAllText(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new KomlogdException($"{path}: {e.Message}");
        }
    }

    internal static DateTimeOffset? ParseTime(string? value, string option) =>
        value is null ? null
        : DateTimeOffset.TryParse(value, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var t) ? t
        : throw new KomlogdException($"{option} '{value}' is not a time; use ISO-8601, e.g. 2026-01-31T12:00:00Z");
}

internal sealed record JsonSample(string Uri, string T, string Type, string Value)
{
    public JsonSample(StoredSample s) : this(s.Uri, SampleTime.Format(s.T), s.Type.Name(), s.Value) { }
}

[System.Text.Json.Serialization.JsonSourceGenerationOptions(PropertyNamingPolicy = System.Text.Json.Serialization.JsonKnownNamingPolicy.CamelCase)]
[System.Text.Json.Serialization.JsonSerializable(typeof(JsonSample[]))]
internal sealed partial class StoreJson : System.Text.Json.Serialization.JsonSerializerContext;
