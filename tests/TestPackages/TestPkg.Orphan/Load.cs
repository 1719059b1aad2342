using System.Diagnostics;
using Komlogd.Sdk;

[assembly: KomlogdPackage(typeof(TestPkg.Orphan.Load))]

namespace TestPkg.Orphan;

/// <summary>
/// Starts a long-lived grandchild that inherits the host's stdio (so it holds the host's stderr pipe) and
/// says its pid. When the host dies, the grandchild lives on holding that pipe open.
/// </summary>
public sealed class Load : IKomlogdPackage
{
    public Task LoadAsync(IKomlogdContext context, CancellationToken cancellationToken)
    {
        using var sleep = Process.Start(new ProcessStartInfo("sleep", ["600"]) { UseShellExecute = false })!;
        context.Log.Info($"orphan: grandchild {sleep.Id}");
        return Task.CompletedTask;
    }
}
