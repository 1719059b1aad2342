using Komlogd.Sdk;

[assembly: KomlogdPackage(typeof(TestPkg.CrashLater.Load))]

namespace TestPkg.CrashLater;

/// <summary>Loads fine, then crashes the process with an unhandled exception on another thread.</summary>
public sealed class Load : IKomlogdPackage
{
    public Task LoadAsync(IKomlogdContext context, CancellationToken cancellationToken)
    {
        context.Log.Info("loaded; crashing soon");
        var thread = new Thread(() =>
        {
            Thread.Sleep(300);
            throw new InvalidOperationException("crash later");
        });
        thread.Start();
        return Task.CompletedTask;
    }
}
