using Komlogd.Sdk;

[assembly: KomlogdPackage(typeof(TestPkg.Exit.Load))]

namespace TestPkg.Exit;

/// <summary>Exits the process from its entry point.</summary>
public sealed class Load : IKomlogdPackage
{
    public Task LoadAsync(IKomlogdContext context, CancellationToken cancellationToken)
    {
        Environment.Exit(3);
        return Task.CompletedTask;
    }
}
