namespace Bridge.Service.Mqtt.Accounts;

/// <summary>Decides whether a refusal is worth a log line: at most one per key (an address, an account)
/// per <see cref="Window"/>, so a client retrying every second cannot flood the log. Bounded: when it
/// remembers too many keys it forgets the expired ones, and all of them if none has expired.</summary>
public sealed class RefusalLog(TimeProvider time)
{
    public static readonly TimeSpan Window = TimeSpan.FromMinutes(10);
    private const int MaxKeys = 4096;
    private readonly Dictionary<string, DateTimeOffset> _last = new(StringComparer.Ordinal);
    private readonly Lock _gate = new();

    /// <summary>True when a refusal for <paramref name="key"/> should be logged now.</summary>
    public bool ShouldLog(string key)
    {
        var now = time.GetUtcNow();
        lock (_gate)
        {
            if (_last.TryGetValue(key, out var at) && now - at < Window) return false;
            if (_last.Count >= MaxKeys)
            {
                foreach (var old in _last.Where(p => now - p.Value >= Window).Select(p => p.Key).ToArray()) _last.Remove(old);
                if (_last.Count >= MaxKeys) _last.Clear();
            }
            _last[key] = now;
            return true;
        }
    }
}
