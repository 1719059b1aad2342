using Komlogd.Core.Configuration;
using Komlogd.Core.Control;
using Komlogd.Core.Logging;
using Komlogd.Core.Store;
using Komlogd.Protocol;
using Komlogd.Protocol.Control;
using Komlogd.Sdk;
using Serilog;

namespace Komlogd.Core.Cli;

/// <summary><c>cmd | komlogd -u URI</c>: one text sample at now; with <c>--datapoint</c>, one number.</summary>
internal static class UriSample
{
    /// <param name="supplies">--supplies: "none", or names joined by commas; "all" for absent again; null keeps the stored ones.</param>
    public static int Run(string configFile, string uri, bool datapoint = false, string? supplies = null)
    {
        if (!Uris.TryValidate(uri, out var error))
        {
            throw new KomlogdException($"{error}; nothing was stored");
        }
        var given = supplies is null ? null : ParseSupplies(uri, supplies, datapoint);
        // Validate everything the user gave before touching anything: no half-initialised state for bad input.
        var text = Stdin.ReadText(Limits.MaxDatasourceBytes)
            ?? throw new KomlogdException("uri parameter found, but no input detected");
        var type = datapoint ? SampleType.Datapoint : SampleType.Datasource;
        if (datapoint)
        {
            text = text.Trim();
            if (SampleStore.Check(new NewSample(uri, type, 0, text)) is { } rule)
            {
                throw new KomlogdException($"{rule}; nothing was stored");
            }
        }
        // Through the running agent, so subscribers hear of it at once. An agent listening in the config dir
        // started from this configuration and checked it: the sample goes straight to it, without reading
        // the YAML, the keys or the logging set-up again (a third of the command's time, docs/benchmarks.md).
        var fullPath = Path.GetFullPath(configFile);
        if (File.Exists(fullPath))
        {
            using var agent = ControlClient.TryConnect(KomlogdConfig.SocketIn(Path.GetDirectoryName(fullPath)!));
            if (agent is not null)
            {
                agent.InsertNow([new ControlSample(uri, type.Name(), null, text, given)]);
                return ExitCodes.Ok;
            }
        }
        return StoreWithoutAgent(configFile, uri, type, text, given);
    }

    /// <summary>
    /// No agent: first run (creates the config dir and exits with the original message), or straight into the
    /// store. A method of its own, so that the path through the agent never loads the store or the logging.
    /// </summary>
    private static int StoreWithoutAgent(string configFile, string uri, SampleType type, string text, DatasourceSupplies? given)
    {
        var config = Initializer.Initialize(configFile);
        using var log = LogSetup.Create(config, stderr: false);
        using var store = SampleStore.Open(config.StoreFile, config.Username);
        var t = store.Insert([new NewSample(uri, type, SampleTime.ToMs(DateTimeOffset.UtcNow), text)], SampleConflict.NextFreeMillisecond,
            given is null ? null : new Dictionary<string, IReadOnlyList<string>?> { [uri] = given.Names }).Times[0];
        log.Debug("Stored {Bytes} bytes from stdin at {Uri} {T} (store)", text.Length, uri, SampleTime.Format(SampleTime.FromMs(t)));
        return ExitCodes.Ok;
    }

    /// <summary>
    /// <c>--supplies a,b|none|all</c>: only those names, none, or absent (every datapoint found); each name a
    /// local uri under the datasource's (docs/identification.md, "Automatic datapoints").
    /// </summary>
    internal static DatasourceSupplies ParseSupplies(string uri, string value, bool datapoint)
    {
        if (datapoint)
        {
            throw new KomlogdException("--supplies goes with a text sample, not --datapoint; nothing was stored");
        }
        switch (value.Trim())
        {
            case "none":
                return new DatasourceSupplies([]);
            case "all":
                return new DatasourceSupplies(null);
        }
        var names = value.Split(',', StringSplitOptions.TrimEntries);
        foreach (var name in names)
        {
            if (!Uris.TryValidateLocal(name, out var rule) || !Uris.TryValidate($"{uri}.{name}", out rule))
            {
                throw new KomlogdException($"--supplies: '{name}': {rule}; give names joined by commas, 'none' or 'all'; nothing was stored");
            }
        }
        return new DatasourceSupplies(names.Distinct(StringComparer.Ordinal).ToArray());
    }
}
