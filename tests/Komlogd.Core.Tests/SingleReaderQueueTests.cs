using Komlogd.Core.DataPath;

namespace Komlogd.Core.Tests;

/// <summary>
/// The queue between a host's channel and the agent's writer and sender loops (<see cref="AgentServer"/>):
/// System.Threading.Channels' unbounded single-reader semantics, which it replaced.
/// </summary>
public sealed class SingleReaderQueueTests
{
    private static readonly TimeSpan Generous = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task ItemsAreReadInTheOrderTheyWereWrittenFromManyWriters()
    {
        var queue = new SingleReaderQueue<(int Writer, int N)>();
        var writers = Enumerable.Range(0, 4).Select(w => Task.Run(() =>
        {
            for (var n = 0; n < 5_000; n++)
            {
                Assert.True(queue.TryWrite((w, n)));
            }
        })).ToArray();
        var last = new int[4];
        Array.Fill(last, -1);
        var read = 0;

        while (read < 20_000 && await queue.WaitToReadAsync().WaitAsync(Generous))
        {
            while (queue.TryRead(out var item))
            {
                Assert.Equal(last[item.Writer] + 1, item.N);
                last[item.Writer] = item.N;
                read++;
            }
        }
        await Task.WhenAll(writers);

        Assert.Equal(20_000, read);
        Assert.All(last, n => Assert.Equal(4_999, n));
    }

    [Fact]
    public async Task AWaitingReaderIsWokenByAWriteAndThenByTheEnd()
    {
        var queue = new SingleReaderQueue<string>();
        var waiting = queue.WaitToReadAsync();
        Assert.False(waiting.IsCompleted);

        Assert.True(queue.TryWrite("a"));

        Assert.True(await waiting.WaitAsync(Generous));
        Assert.True(queue.TryPeek(out var peeked));
        Assert.Equal("a", peeked);
        Assert.True(queue.TryRead(out var item));
        Assert.Equal("a", item);
        var ending = queue.WaitToReadAsync();
        Assert.False(ending.IsCompleted);
        queue.Complete();
        Assert.False(await ending.WaitAsync(Generous));
    }

    [Fact]
    public async Task ACompletedQueueRefusesWritesButIsDrainedFirst()
    {
        var queue = new SingleReaderQueue<int>();
        Assert.True(queue.TryWrite(1));
        Assert.True(queue.TryWrite(2));

        queue.Complete();

        Assert.False(queue.TryWrite(3));
        Assert.True(await queue.WaitToReadAsync());
        Assert.True(queue.TryRead(out var one));
        Assert.True(queue.TryRead(out var two));
        Assert.Equal((1, 2), (one, two));
        Assert.False(queue.TryRead(out _));
        Assert.False(queue.TryPeek(out _));
        Assert.False(await queue.WaitToReadAsync());
    }
}
