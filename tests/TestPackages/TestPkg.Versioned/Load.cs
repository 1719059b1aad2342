using Komlogd.Sdk;
using Newtonsoft.Json;

[assembly: KomlogdPackage(typeof(TestPkg.Versioned.Load))]

namespace TestPkg.Versioned;

/// <summary>Reports its own version and the Newtonsoft.Json it actually loaded.</summary>
public sealed class Load : IKomlogdPackage
{
    public Task LoadAsync(IKomlogdContext context, CancellationToken cancellationToken)
    {
        var own = typeof(Load).Assembly.GetName().Version;
        var json = typeof(JsonConvert).Assembly.GetName().Version;
        var roundTrip = JsonConvert.SerializeObject(new { ok = true });
        context.Log.Info($"TestPkg.Versioned {own} loaded Newtonsoft.Json {json} {roundTrip}");
        return Task.CompletedTask;
    }
}
