using Komlogd.Sdk;

[assembly: KomlogdPackage(typeof(TestPkg.HangLoad.Load))]

namespace TestPkg.HangLoad;

/// <summary>Hangs synchronously in its entry point, never returning.</summary>
public sealed class Load : IKomlogdPackage
{
    public Task LoadAsync(IKomlogdContext context, CancellationToken cancellationToken)
    {
        context.Log.Info("hanging in load");
        Thread.Sleep(Timeout.Infinite);
        return Task.CompletedTask;
    }
}
