namespace Komlogd.Sdk.Tests.Declared;

// Declarations read by TransferMethodDiscoveryTests: the good ones as a package would write them, and one
// class per mistake.

public sealed class EntryPoint : IKomlogdPackage
{
    public List<DateTimeOffset> Runs { get; } = [];

    public Task LoadAsync(IKomlogdContext context, CancellationToken cancellationToken) => Task.CompletedTask;

    [TransferMethod]
    [CronSchedule(minute: "*/5", ExecOnLoad = true)]
    public async Task CollectAsync(DateTimeOffset t, CancellationToken cancellationToken)
    {
        await Task.Yield();
        Runs.Add(t);
    }
}

public sealed class OtherEntryPoint : IKomlogdPackage
{
    public Task LoadAsync(IKomlogdContext context, CancellationToken cancellationToken) => Task.CompletedTask;

    [TransferMethod, OnUpdateSchedule("a.b")]
    public void Tick()
    {
    }
}

public static class StaticMethods
{
    [TransferMethod(Data = ["host.load.5m"])]
    [OnUpdateSchedule("host.load.1m", "host.load.15m")]
    public static void Compare(DateTimeOffset t, IReadOnlyList<Sample> updated, IReadOnlyList<Sample> others, int threshold = 3)
    {
    }

    [TransferMethod, CronSchedule("0", "3")]
    private static void Nightly()
    {
    }
}

public static class OnceOnLoad
{
    [TransferMethod, DummySchedule]
    public static void Announce(DateTimeOffset t)
    {
    }

    [TransferMethod, CronSchedule(minute: "0", dayOfWeek: "0-4", MondayIsZero = true)]
    public static void Weekdays()
    {
    }
}

public static class NoSchedule
{
    [TransferMethod]
    public static void Run()
    {
    }
}

public static class TwoSchedules
{
    [TransferMethod, CronSchedule, OnUpdateSchedule("a")]
    public static void Run()
    {
    }
}

public static class ScheduleOnly
{
    [CronSchedule]
    public static void Run()
    {
    }
}

public static class BadCron
{
    [TransferMethod, CronSchedule(hour: "25")]
    public static void Run()
    {
    }
}

public static class BadUri
{
    [TransferMethod(Data = ["ok", "no..way"]), OnUpdateSchedule("a")]
    public static void Run()
    {
    }
}

public sealed class InstanceOffEntryPoint
{
    [TransferMethod, CronSchedule]
    public void Run()
    {
    }
}

public static class BadParameter
{
    [TransferMethod, CronSchedule]
    public static void Run(string disk)
    {
    }
}

public static class Overloads
{
    [TransferMethod, CronSchedule]
    public static void Run()
    {
    }

    [TransferMethod, CronSchedule]
    public static void Run(DateTimeOffset t)
    {
    }
}
