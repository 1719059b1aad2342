using Komlogd.Sdk;

[assembly: KomlogdPackage(typeof(TestPkg.Basic.Load))]

namespace TestPkg.Basic;

/// <summary>Loads and says so: the smallest package.</summary>
public sealed class Load : IKomlogdPackage
{
    public Task LoadAsync(IKomlogdContext context, CancellationToken cancellationToken)
    {
        var version = typeof(Load).Assembly.GetName().Version;
        context.Log.Info($"TestPkg.Basic {version} loaded in venv {context.Venv}");
        return Task.CompletedTask;
    }
}
