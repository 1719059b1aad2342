using Komlogd.Sdk;

[assembly: KomlogdPackage(typeof(TestPkg.Flaky.Load))]

namespace TestPkg.Flaky;

/// <summary>Fails to load while the file $HOME/flaky.fail exists: a venv a test can make Fatal, then mend.</summary>
public sealed class Load : IKomlogdPackage
{
    public Task LoadAsync(IKomlogdContext context, CancellationToken cancellationToken)
    {
        var marker = Path.Combine(Environment.GetEnvironmentVariable("HOME") ?? "/nonexistent", "flaky.fail");
        if (File.Exists(marker))
        {
            throw new InvalidOperationException($"{marker} exists");
        }
        context.Log.Info("flaky loaded");
        return Task.CompletedTask;
    }
}
