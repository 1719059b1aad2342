using Komlogd.Sdk;

namespace TestPkg.NoEntry;

/// <summary>A package that forgot [assembly: KomlogdPackage(typeof(Load))]: the host cannot find where to start.</summary>
public sealed class Load : IKomlogdPackage
{
    public Task LoadAsync(IKomlogdContext context, CancellationToken cancellationToken) => Task.CompletedTask;
}
