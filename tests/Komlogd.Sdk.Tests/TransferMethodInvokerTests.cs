using Komlogd.Sdk.Hosting;

namespace Komlogd.Sdk.Tests;

public sealed class TransferMethodInvokerTests
{
    private static readonly DateTimeOffset T0 = new(2025, 1, 1, 0, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task ArgumentsAreMatchedByNameWhateverTheirOrder()
    {
        object?[]? seen = null;
        using var cts = new CancellationTokenSource();
        using var handle = TransferMethods.Bind(
            (string name, IReadOnlyList<Sample> others, CancellationToken stop, DateTimeOffset t, IEnumerable<Sample> updated, int limit = 7, string? note = null) =>
            {
                seen = [name, others, stop, t, updated, limit, note];
            },
            new OnUpdateSchedule("a"),
            new Dictionary<string, object?> { ["name"] = "disk0", ["note"] = null });
        IReadOnlyList<Sample> updated = [new Sample(new Datapoint("a"), T0, 1m)];
        IReadOnlyList<Sample> others = [new Sample(new Datapoint("b"), T0, 2m)];

        await TransferMethodInvoker.InvokeAsync(handle.Info, T0.AddTicks(7).ToOffset(TimeSpan.FromHours(1)), updated, others, cts.Token);

        Assert.NotNull(seen);
        Assert.Equal("disk0", seen[0]);
        Assert.Same(others, seen[1]);
        Assert.Equal(cts.Token, seen[2]);
        Assert.Equal(T0, seen[3]);
        Assert.Equal(TimeSpan.Zero, ((DateTimeOffset)seen[3]!).Offset);
        Assert.Same(updated, seen[4]);
        Assert.Equal(7, seen[5]);
        Assert.Null(seen[6]);
    }

    [Fact]
    public async Task AMethodWithoutParametersRuns()
    {
        var runs = 0;
        using var handle = TransferMethods.Bind(() => { runs++; }, new CronSchedule());
        await TransferMethodInvoker.InvokeAsync(handle.Info, T0, [], []);
        Assert.Equal(1, runs);
    }

    [Fact]
    public void AMissingParameterIsRefusedAtBindNotAtRun()
    {
        var e = Assert.Throws<ArgumentException>(() =>
            TransferMethods.Bind((DateTimeOffset t, string disk) => { }, new CronSchedule()));
        Assert.Contains("parameter 'disk' of ", e.Message, StringComparison.Ordinal);
        Assert.Contains("is not reserved (t, updated, others), not given and has no default value", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ATaskReturningMethodIsAwaited()
    {
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var finished = false;
        using var handle = TransferMethods.Bind(
            async () =>
            {
                await gate.Task;
                finished = true;
            },
            new CronSchedule());

        var run = TransferMethodInvoker.InvokeAsync(handle.Info, T0, [], []);
        await Task.Delay(50);
        Assert.False(run.IsCompleted);
        gate.SetResult();
        await run.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.True(finished);
    }

    [Fact]
    public async Task AValueTaskReturningMethodIsAwaited()
    {
        var finished = false;
        using var handle = TransferMethods.Bind(
            async ValueTask () =>
            {
                await Task.Delay(10);
                finished = true;
            },
            new CronSchedule());
        await TransferMethodInvoker.InvokeAsync(handle.Info, T0, [], []);
        Assert.True(finished);
    }

    [Fact]
    public async Task WhatTheMethodThrowsComesOutUnwrapped()
    {
        using var sync = TransferMethods.Bind(new Action(() => throw new InvalidDataException("sync")), new CronSchedule());
        using var async = TransferMethods.Bind(
            async () =>
            {
                await Task.Yield();
                throw new InvalidDataException("async");
            },
            new CronSchedule());

        var run = TransferMethodInvoker.InvokeAsync(sync.Info, T0, [], []);
        Assert.Equal("sync", (await Assert.ThrowsAsync<InvalidDataException>(() => run)).Message);
        Assert.Equal("async", (await Assert.ThrowsAsync<InvalidDataException>(() => TransferMethodInvoker.InvokeAsync(async.Info, T0, [], []))).Message);
    }

    [Fact]
    public async Task InsertsOfARunGoToTheRuntimeTheHostScopesToIt()
    {
        // The host's pattern for "a run commits all its samples or none": a per-run runtime around the call.
        var host = new MemoryRuntime();
        var run = new MemoryRuntime();
        using var _ = KomlogdRuntime.Use(host);
        using var handle = TransferMethods.Bind(
            (DateTimeOffset t, IReadOnlyList<Sample> updated) =>
                new Anomaly(updated[0].Metric).Insert(t, (decimal)updated[0].Value > 10 ? 1 : 0),
            new OnUpdateSchedule("host.load"));

        using (KomlogdRuntime.Use(run))
        {
            await TransferMethodInvoker.InvokeAsync(handle.Info, T0, [new Sample(new Datapoint("host.load"), T0, 12m)], []);
        }

        Assert.Equal([new Sample(new Datapoint("host.load._anomaly"), T0, 1m)], run.Samples);
        Assert.Empty(host.Samples);
    }
}
