namespace Bridge.Runtime.Quotas;

/// <summary>At most <c>perMinute</c> commands in any sliding minute, on the injected clock: a
/// Yeelight bulb's own quota (PROTOCOLS.md §6.2, about one a second), which the bulb enforces and
/// the bridge counts the same way so it never runs into it. Thread-safe.</summary>
public sealed class MinuteQuota(int perMinute, TimeProvider time)
{
    private static readonly TimeSpan Window = TimeSpan.FromMinutes(1);
    private readonly Queue<long> _taken = new();

    public int PerMinute { get; } = perMinute;

    /// <summary>Takes <paramref name="count"/> slots if all are free now; otherwise takes none and
    /// says how long until they would be.</summary>
    public bool TryTake(int count, out TimeSpan retryAfter)
    {
        var now = time.GetTimestamp();
        lock (_taken)
        {
            while (_taken.Count > 0 && time.GetElapsedTime(_taken.Peek(), now) >= Window) _taken.Dequeue();
            if (count > PerMinute)
            {
                retryAfter = Window;
                return false;
            }
            var excess = _taken.Count + count - PerMinute;
            if (excess > 0)
            {
                retryAfter = Window - time.GetElapsedTime(_taken.ElementAt(excess - 1), now);
                return false;
            }
            for (var i = 0; i < count; i++) _taken.Enqueue(now);
            retryAfter = TimeSpan.Zero;
            return true;
        }
    }
}
