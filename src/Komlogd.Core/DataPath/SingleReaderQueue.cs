namespace Komlogd.Core.DataPath;

/// <summary>
/// An unbounded queue whose one reader awaits items: the part of System.Threading.Channels' unbounded
/// single-reader channel <see cref="AgentServer"/> used, with its semantics (writes fail once it is
/// completed; the reader still drains what was written before). The assembly and its generic types were
/// about 0.2 MiB of a running agent for two queues per host (docs/benchmarks.md, "komlogd's own JSON, no Process, no Channels").
/// </summary>
internal sealed class SingleReaderQueue<T>
{
    private static readonly Task<bool> Ready = Task.FromResult(true);
    private static readonly Task<bool> Ended = Task.FromResult(false);

    private readonly Queue<T> _items = new();
    private readonly Lock _gate = new();
    private TaskCompletionSource<bool>? _waiter;
    private bool _completed;

    /// <summary>Queues <paramref name="item"/>; false once <see cref="Complete"/> was called.</summary>
    public bool TryWrite(T item)
    {
        TaskCompletionSource<bool>? waiter;
        lock (_gate)
        {
            if (_completed)
            {
                return false;
            }
            _items.Enqueue(item);
            (waiter, _waiter) = (_waiter, null);
        }
        waiter?.TrySetResult(true);
        return true;
    }

    /// <summary>No more writes; the reader gets what is queued, then false from <see cref="WaitToReadAsync"/>.</summary>
    public void Complete()
    {
        TaskCompletionSource<bool>? waiter;
        lock (_gate)
        {
            _completed = true;
            (waiter, _waiter) = (_waiter, null);
        }
        waiter?.TrySetResult(false);
    }

    /// <summary>True when an item can be read; false when the queue is completed and empty.</summary>
    public Task<bool> WaitToReadAsync()
    {
        lock (_gate)
        {
            if (_items.Count > 0)
            {
                return Ready;
            }
            if (_completed)
            {
                return Ended;
            }
            // The reader's continuation runs on the pool, never inside a writer's call.
            return (_waiter ??= new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously)).Task;
        }
    }

    public bool TryRead(out T item)
    {
        lock (_gate)
        {
            return _items.TryDequeue(out item!);
        }
    }

    public bool TryPeek(out T item)
    {
        lock (_gate)
        {
            return _items.TryPeek(out item!);
        }
    }
}
