namespace Bridge.Service.Discovery;

/// <summary>RFC 6762 §8.1's brake on probing: before each attempt a random 0–250 ms (hosts powered on
/// together don't collide), but once 15 conflicts fell within 10 s, 5 s between attempts until the
/// window has fewer again. Without the window, one bad evening would slow renaming forever.</summary>
public sealed class ProbeThrottle(TimeProvider time)
{
    private const int Limit = 15;
    private static readonly TimeSpan Window = TimeSpan.FromSeconds(10);
    private static readonly TimeSpan Pause = TimeSpan.FromSeconds(5);

    private readonly Queue<DateTimeOffset> _conflicts = new();

    public void Conflict()
    {
        _conflicts.Enqueue(time.GetUtcNow());
        Trim();
    }

    public TimeSpan NextDelay()
    {
        Trim();
        return _conflicts.Count >= Limit ? Pause : TimeSpan.FromMilliseconds(Random.Shared.Next(0, 250));
    }

    private void Trim()
    {
        var since = time.GetUtcNow() - Window;
        while (_conflicts.TryPeek(out var at) && at <= since) _conflicts.Dequeue();
    }
}
