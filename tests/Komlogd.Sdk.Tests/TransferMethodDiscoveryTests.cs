using Komlogd.Sdk.Hosting;
using Komlogd.Sdk.Tests.Declared;

namespace Komlogd.Sdk.Tests;

public sealed class TransferMethodDiscoveryTests
{
    [Fact]
    public void FindsStaticAndEntryPointMethodsWithTheirSchedules()
    {
        var entry = new EntryPoint();
        var found = TransferMethodDiscovery.FindIn([typeof(EntryPoint), typeof(StaticMethods)], "Pkg", [entry]);

        Assert.Equal(
            [
                "Komlogd.Sdk.Tests:Komlogd.Sdk.Tests.Declared.EntryPoint.CollectAsync",
                "Komlogd.Sdk.Tests:Komlogd.Sdk.Tests.Declared.StaticMethods.Compare",
                "Komlogd.Sdk.Tests:Komlogd.Sdk.Tests.Declared.StaticMethods.Nightly",
            ],
            found.Select(m => m.Id));

        var collect = found[0];
        Assert.Same(entry, collect.Method.Target);
        var cron = Assert.IsType<CronSchedule>(collect.Schedule);
        Assert.Equal("*/5 * * * *", cron.ToCronExpression());
        Assert.True(cron.ExecOnLoad);

        var compare = found[1];
        Assert.Null(compare.Method.Target);
        Assert.Equal(["host.load.1m", "host.load.15m"], compare.ActivationUris);
        Assert.Equal(["host.load.5m"], compare.Data);
        Assert.False(compare.Schedule.ExecOnLoad);

        Assert.Equal("0 3 * * *", Assert.IsType<CronSchedule>(found[2].Schedule).ToCronExpression());
    }

    [Fact]
    public void ADummyScheduleRunsOnLoadOnlyAndACronAttributeKeepsTheMondayIsZeroNumbering()
    {
        var found = TransferMethodDiscovery.FindIn([typeof(OnceOnLoad)], "Pkg", []);

        var once = found.Single(m => m.Name.EndsWith(".Announce", StringComparison.Ordinal));
        Assert.IsType<DummySchedule>(once.Schedule);
        Assert.True(once.Schedule.ExecOnLoad);
        Assert.Empty(once.ActivationUris);
        Assert.Equal("0 * * * 1,2,3,4,5", Assert.IsType<CronSchedule>(found.Single(m => m.Name.EndsWith(".Weekdays", StringComparison.Ordinal)).Schedule).ToCronExpression());
    }

    [Fact]
    public async Task AFoundInstanceMethodRunsOnTheEntryPoint()
    {
        var entry = new EntryPoint();
        var collect = TransferMethodDiscovery.FindIn([typeof(EntryPoint)], "Pkg", [entry]).Single();
        await TransferMethodInvoker.InvokeAsync(collect, DateTimeOffset.UnixEpoch.AddTicks(99), [], []);
        Assert.Equal([DateTimeOffset.UnixEpoch], entry.Runs);
    }

    public static TheoryData<Type, string> Mistakes => new()
    {
        { typeof(NoSchedule), "NoSchedule.Run: needs exactly one schedule attribute ([OnUpdateSchedule], [CronSchedule] or [DummySchedule]); it has 0" },
        { typeof(TwoSchedules), "TwoSchedules.Run: needs exactly one schedule attribute ([OnUpdateSchedule], [CronSchedule] or [DummySchedule]); it has 2" },
        { typeof(ScheduleOnly), "ScheduleOnly.Run: has a schedule attribute but no [TransferMethod]" },
        { typeof(BadCron), "BadCron.Run: cron hour '25': 25 is outside 0-23" },
        { typeof(BadUri), "BadUri.Run: data: uri 'no..way' must be levels" },
        { typeof(InstanceOffEntryPoint), "InstanceOffEntryPoint.Run: an instance transfer method must be on the package's entry point class" },
        { typeof(BadParameter), "BadParameter.Run: parameter 'disk' of BadParameter.Run is not reserved (t, updated, others), not given and has no default value" },
        { typeof(Overloads), "Overloads.Run: overloaded transfer methods are not supported" },
        { typeof(EntryPoint), "EntryPoint.CollectAsync: an instance transfer method must be on the package's entry point class" },
    };

    [Theory]
    [MemberData(nameof(Mistakes))]
    public void AMistakeIsReportedNamingTheMethod(Type type, string problem)
    {
        var e = Assert.Throws<InvalidOperationException>(() => TransferMethodDiscovery.FindIn([type], "Pkg", []));
        Assert.StartsWith("Pkg declares transfer methods komlogd cannot run:", e.Message, StringComparison.Ordinal);
        Assert.Contains(problem, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AnAssemblyIsSearchedWholeAndEveryMistakeListed()
    {
        var e = Assert.Throws<InvalidOperationException>(() => TransferMethodDiscovery.Find(typeof(EntryPoint).Assembly, new EntryPoint()));
        var lines = e.Message.Split(Environment.NewLine);
        Assert.Equal("Komlogd.Sdk.Tests declares transfer methods komlogd cannot run:", lines[0]);
        foreach (var type in new[] { nameof(NoSchedule), nameof(TwoSchedules), nameof(ScheduleOnly), nameof(BadCron), nameof(BadUri), nameof(InstanceOffEntryPoint), nameof(BadParameter), nameof(Overloads) })
        {
            Assert.Contains(lines, l => l.Contains($".{type}.Run: ", StringComparison.Ordinal));
        }
        Assert.DoesNotContain(lines, l => l.Contains("EntryPoint.CollectAsync", StringComparison.Ordinal));
    }

    [Fact]
    public void AnAssemblyWithoutTransferMethodsHasNone()
    {
        Assert.Empty(TransferMethodDiscovery.Find(typeof(Uris).Assembly));
        Assert.Empty(TransferMethodDiscovery.Find(typeof(Uris).Assembly, null));
    }

    [Fact]
    public void InstanceMethodsBindToTheEntryPointOfTheirClass()
    {
        var other = new OtherEntryPoint();
        var entry = new EntryPoint();
        var found = TransferMethodDiscovery.FindIn([typeof(EntryPoint), typeof(OtherEntryPoint)], "Pkg", [other, entry]);
        Assert.Same(entry, found.Single(m => m.Id.EndsWith(".CollectAsync", StringComparison.Ordinal)).Method.Target);
        Assert.Same(other, found.Single(m => m.Id.EndsWith(".Tick", StringComparison.Ordinal)).Method.Target);
    }
}
