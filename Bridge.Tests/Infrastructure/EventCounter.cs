namespace Bridge.Tests.Infrastructure;

/// <summary>Counts events raised on any thread and lets a test await a count without polling, so a CPU
/// measurement waiting on it does not measure its own waiting (a check every 10 ms is 100 wake-ups a second).</summary>
public sealed class EventCounter
{
    private readonly Lock _gate = new();
    private readonly List<(int Target, TaskCompletionSource Done)> _waiters = [];
    private int _count;

    public int Count => Volatile.Read(ref _count);

    public void Increment()
    {
        var n = Interlocked.Increment(ref _count);
        lock (_gate)
            for (var i = _waiters.Count - 1; i >= 0; i--)
                if (n >= _waiters[i].Target)
                {
                    _waiters[i].Done.TrySetResult();
                    _waiters.RemoveAt(i);
                }
    }

    /// <summary>Completes once <see cref="Count"/> reaches <paramref name="target"/>; throws a <see cref="TimeoutException"/> naming <paramref name="what"/> otherwise.</summary>
    public async Task UntilAsync(int target, TimeSpan timeout, string what)
    {
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (_gate)
        {
            if (Count >= target) return;
            _waiters.Add((target, done));
        }
        try
        {
            await done.Task.WaitAsync(timeout).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            throw new TimeoutException($"Timed out after {timeout.TotalSeconds:0.###} s waiting for {what} ({Count} of {target})");
        }
    }
}
