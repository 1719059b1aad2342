using Komlogd.Sdk;

[assembly: KomlogdPackage(typeof(TestPkg.BadMethods.Load))]

namespace TestPkg.BadMethods;

/// <summary>Transfer methods declared wrongly: the host refuses the package before calling LoadAsync.</summary>
public sealed class Load : IKomlogdPackage
{
    public Task LoadAsync(IKomlogdContext context, CancellationToken cancellationToken) => Task.CompletedTask;

    [TransferMethod]
    public static void NoSchedule()
    {
    }

    [TransferMethod]
    [CronSchedule(minute: "61")]
    public static void BadMinute()
    {
    }
}
