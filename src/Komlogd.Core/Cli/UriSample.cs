using Komlogd.Core.Configuration;
using Komlogd.Core.Control;
using Komlogd.Core.Logging;
using Komlogd.Core.Store;
using Komlogd.Sdk;
using Serilog;

namespace Komlogd.Core.Cli;

/// <summary><c>cmd | komlogd -u URI</c>: one text sample at now.</summary>
internal static class UriSample
{
    public static async Task<int> RunAsync(string configFile, string uri)
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
        // Through the running agent, so subscribers hear of it at once; else straight into the store.
        using var agent = await ControlClient.TryConnectAsync(config.SocketFile).ConfigureAwait(false);
        long t;
        if (agent is not null)
        {
            t = (await agent.InsertAsync([new ControlSample(uri, "datasource", null, text)]).ConfigureAwait(false))[0];
        }
        else
        {
            using var store = SampleStore.Open(config.StoreFile);
            t = store.Insert([new NewSample(uri, SampleType.Datasource, SampleTime.ToMs(DateTimeOffset.UtcNow), text)], SampleConflict.NextFreeMillisecond)[0];
        }
        log.Debug("Stored {Bytes} bytes from stdin at {Uri} {T} ({Path})", text.Length, uri, SampleTime.Format(SampleTime.FromMs(t)), agent is null ? "store" : "agent");
        return ExitCodes.Ok;
    }
}
