using Komlogd.Sdk;

[assembly: KomlogdPackage(typeof(TestPkg.Throw.Load))]

namespace TestPkg.Throw;

/// <summary>Throws in its entry point.</summary>
public sealed class Load : IKomlogdPackage
{
    public Task LoadAsync(IKomlogdContext context, CancellationToken cancellationToken) =>
        throw new InvalidOperationException("boom in load\nsecond line is not shown");
}
