using Komlogd.Core.Configuration;
using Komlogd.Core.Logging;
using Komlogd.Core.Store;
using Komlogd.Sdk;
using Serilog;

namespace Komlogd.Core.Cli;

/// <summary><c>cmd | komlogd -u URI</c>: one text sample at now.</summary>
internal static class UriSample
{
    public static int Run(string configFile, string uri)
    {
        if (!Uris.TryValidate(uri, out var error))
        {
            throw new KomlogdException($"{error}; nothing was stored");
        }
        // Validate everything the user gave before touching anything: no half-initialised state for bad input.
        var text = Stdin.ReadText(Limits.MaxDatasourceBytes)
            ?? throw new KomlogdException("uri parameter found, but no input detected");
        var config = Initializer.Initialize(configFile);
        using var log = LogSetup.Create(config, stderr: false);
        var now = DateTimeOffset.UtcNow;
        using var store = SampleStore.Open(config.StoreFile);
        var t = store.Insert([new NewSample(uri, SampleType.Datasource, SampleTime.ToMs(now), text)], SampleConflict.NextFreeMillisecond)[0];
        log.Debug("Stored {Bytes} bytes from stdin at {Uri} {T}", text.Length, uri, SampleTime.Format(SampleTime.FromMs(t)));
        return ExitCodes.Ok;
    }
}
