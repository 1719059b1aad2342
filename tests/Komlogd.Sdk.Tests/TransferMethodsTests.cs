using Komlogd.Sdk.Hosting;

namespace Komlogd.Sdk.Tests;

public sealed class TransferMethodsTests
{
    private static void Watch(DateTimeOffset t, IReadOnlyList<Sample> updated, string name)
    {
    }

    [Fact]
    public void BindTellsTheRuntimeAndUnbindTellsItOnce()
    {
        var runtime = new MemoryRuntime();
        TransferMethodHandle handle;
        using (KomlogdRuntime.Use(runtime))
        {
            handle = TransferMethods.Bind(Watch, new OnUpdateSchedule("host.load"), new Dictionary<string, object?> { ["name"] = "x" });
            Assert.True(handle.IsBound);
            Assert.Contains(handle.Info, TransferMethods.Bound);
        }
        // Outside the flow that bound it: still the same runtime is told.
        Assert.True(TransferMethods.Unbind(handle));
        Assert.False(TransferMethods.Unbind(handle));
        handle.Dispose();
        Assert.False(handle.IsBound);
        Assert.DoesNotContain(handle.Info, TransferMethods.Bound);
        Assert.Equal([$"bound {handle.Info.Id}", $"unbound {handle.Info.Id}"], runtime.Events);
        Assert.StartsWith("bind:", handle.Info.Id, StringComparison.Ordinal);
    }

    [Fact]
    public void BindWorksWithoutARuntimeSoPackageTestsCanBind()
    {
        using var handle = TransferMethods.Bind(() => { }, new CronSchedule("0"));
        Assert.True(handle.IsBound);
    }

    [Fact]
    public void TheInfoDescribesScheduleUrisAndParameters()
    {
        var parameters = new Dictionary<string, object?> { ["name"] = "disk0" };
        using var handle = TransferMethods.Bind(
            Watch,
            new OnUpdateSchedule(new Datapoint("a"), new Datasource("b"), new Datapoint("a")) { ExecOnLoad = true },
            parameters,
            data: ["c", "b"]);
        parameters["name"] = "changed later";
        var info = handle.Info;
        Assert.Equal(["a", "b"], info.ActivationUris);
        Assert.Equal(["c", "b"], info.Data);
        Assert.Equal(["a", "b", "c"], info.Uris);
        Assert.Equal("disk0", info.Parameters["name"]);
        Assert.True(info.Schedule.ExecOnLoad);
        Assert.Equal($"{typeof(TransferMethodsTests).FullName}.{nameof(Watch)}", info.Name);
        Assert.Equal(["b", "c"], info.OtherUris([new Sample(new Datapoint("a"), DateTimeOffset.UnixEpoch, 1m)]));
        Assert.Equal(["a", "b", "c"], info.OtherUris([]));
    }

    public static TheoryData<Delegate, Dictionary<string, object?>?, string> BadBinds => new()
    {
        { Watch, null, "parameter 'name' of TransferMethodsTests.Watch is not reserved (t, updated, others), not given and has no default value" },
        { Watch, new() { ["name"] = 5 }, "parameter 'name' of TransferMethodsTests.Watch is String; the value given is Int32" },
        { Watch, new() { ["name"] = "x", ["t"] = DateTimeOffset.UnixEpoch }, "parameter 't' is reserved (t, updated, others are supplied by komlogd) and cannot be given" },
        { Watch, new() { ["name"] = "x", ["nmae"] = "y" }, "parameter 'nmae' was given but TransferMethodsTests.Watch has no parameter of that name" },
        { (string t) => { }, null, "parameter 't' of " },
        { (List<Sample> updated) => { }, null, "komlogd supplies it as IReadOnlyList<Sample>" },
        { (int n) => { }, new() { ["n"] = null }, "parameter 'n' of " },
        { () => 5, null, "returns Int32; a transfer method returns void, Task or ValueTask" },
    };

    [Theory]
    [MemberData(nameof(BadBinds))]
    public void BindRefusesAMethodItCouldNotRun(Delegate method, Dictionary<string, object?>? parameters, string problem)
    {
        var e = Assert.Throws<ArgumentException>(() => TransferMethods.Bind(method, new CronSchedule(), parameters));
        Assert.StartsWith("cannot bind ", e.Message, StringComparison.Ordinal);
        Assert.Contains(problem, e.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(TransferMethods.Bound, m => m.Method == method);
    }

    [Fact]
    public void BindRefusesABadDataUri()
    {
        var e = Assert.Throws<ArgumentException>(() => TransferMethods.Bind(() => { }, new CronSchedule(), data: ["a..b"]));
        Assert.Contains("data: uri 'a..b' must be levels", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AnOnUpdateScheduleNeedsAGoodUri()
    {
        Assert.StartsWith("an on-update schedule needs at least one activation uri",
            Assert.Throws<ArgumentException>(() => new OnUpdateSchedule(Array.Empty<string>())).Message, StringComparison.Ordinal);
        Assert.StartsWith("uri '.a' starts with a dot",
            Assert.Throws<ArgumentException>(() => new OnUpdateSchedule("ok", ".a")).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AHostThatRefusesABindLeavesItUnbound()
    {
        using var _ = KomlogdRuntime.Use(new RefusingRuntime());
        Action method = () => { };
        Assert.Throws<NotSupportedException>(() => TransferMethods.Bind(method, new CronSchedule()));
        Assert.DoesNotContain(TransferMethods.Bound, m => m.Method == (Delegate)method);
    }

    private sealed class RefusingRuntime : IKomlogdRuntime
    {
        public void Insert(Sample sample) => throw new NotSupportedException();

        public Task<IReadOnlyList<Sample>> GetAsync(Metric metric, DateTimeOffset? start, DateTimeOffset? end, int? count, CancellationToken cancellationToken) =>
            throw new NotSupportedException();

        public void OnBound(TransferMethodInfo method) => throw new NotSupportedException("no more binds");
    }

    private static void Check(DateTimeOffset t, Datapoint util)
    {
    }

    private static void Many(Datapoint util, List<Device> devices, Dictionary<string, Metric> byName, (Datapoint, int) pair, string text, Device deep)
    {
    }

    private sealed record Device(string Name, Datapoint Used, IReadOnlyList<Metric> More, Device? Parent = null)
    {
        public Datapoint Hidden => throw new InvalidOperationException("a getter that throws is skipped");
    }

    [Fact]
    public void WithoutAScheduleAMethodRunsOnTheMetricsOfItsParameters()
    {
        using var handle = TransferMethods.Bind(Check, parameters: new { util = new Datapoint("sda.util") });

        var schedule = Assert.IsType<OnUpdateSchedule>(handle.Info.Schedule);
        Assert.Equal(["sda.util"], schedule.ActivationUris);
        Assert.False(schedule.ExecOnLoad);
        Assert.Equal(new Datapoint("sda.util"), handle.Info.Parameters["util"]);
    }

    [Fact]
    public void MetricsAreFoundInListsDictionariesTuplesAndObjectAttributesOnce()
    {
        var util = new Datapoint("d.util");
        var device = new Device("sda", new Datapoint("d.used"), [new Datasource("d.text"), util]);
        var parameters = new Dictionary<string, object?>
        {
            ["util"] = util,
            ["devices"] = new List<Device> { device, device with { Name = "sdb", Used = new Datapoint("e.used"), More = [] } },
            ["byName"] = new Dictionary<string, Metric> { ["x"] = new Datapoint("x.y") },
            ["pair"] = (new Datapoint("p.a"), 1),
            ["text"] = "not.a.metric",
            // An attribute that is a plain object is not followed, as in the original.
            ["deep"] = new Device("z", new Datapoint("z.used"), [], Parent: new Device("w", new Datapoint("w.hidden"), [])),
        };

        using var handle = TransferMethods.Bind(Many, parameters: parameters);

        Assert.Equal(["d.util", "d.used", "d.text", "e.used", "x.y", "p.a", "z.used"], handle.Info.ActivationUris);
    }

    [Fact]
    public void AGivenScheduleWinsOverTheMetricsOfTheParameters()
    {
        using var handle = TransferMethods.Bind(Check, new { util = new Datapoint("sda.util") }, new CronSchedule("0"));

        Assert.IsType<CronSchedule>(handle.Info.Schedule);
        Assert.Empty(handle.Info.ActivationUris);
    }

    [Fact]
    public void WithoutAScheduleAndWithoutAMetricBindSaysWhatToGive()
    {
        var e = Assert.Throws<ArgumentException>(() => TransferMethods.Bind(Watch, parameters: new { name = "sda" }));

        Assert.Equal($"cannot bind {typeof(TransferMethodsTests).FullName}.{nameof(Watch)}: no schedule was given and its parameters hold no metric to run on; " +
            "give a schedule (new DummySchedule() runs it once, on load) or metrics among its parameters (Parameter 'schedule')", e.Message);
        Assert.DoesNotContain(TransferMethods.Bound, m => m.Name.EndsWith(nameof(Watch), StringComparison.Ordinal));
    }

    [Fact]
    public void ADictionaryOfParametersNeedsStringKeys()
    {
        var e = Assert.Throws<ArgumentException>(() => TransferMethods.Bind(Check, parameters: new Dictionary<int, object> { [1] = new Datapoint("a") }));

        Assert.Equal("parameters: a dictionary of parameters needs string keys (parameter names); this one has a Int32 key (Parameter 'parameters')", e.Message);
    }

    [Fact]
    public void ADictionaryOfAnotherValueTypeGivesItsEntriesAsParameters()
    {
        using var handle = TransferMethods.Bind(Check, parameters: new Dictionary<string, Datapoint> { ["util"] = new("q.util") });

        Assert.Equal(["q.util"], handle.Info.ActivationUris);
    }
}
