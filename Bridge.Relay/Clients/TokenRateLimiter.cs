using System.Collections.Concurrent;
using Bridge.Relay.Hosting;
using Microsoft.Extensions.Options;

namespace Bridge.Relay.Clients;

/// <summary>Per-token request rate at the relay (a token bucket per jti, shared by all of a token's
/// connections), so one phone cannot flood its home's link. Time comes from the injected TimeProvider.</summary>
public sealed class TokenRateLimiter(IOptions<RelayOptions> options, TimeProvider time)
{
    private sealed class Bucket
    {
        public double Tokens;
        public long Last;
    }

    private readonly ConcurrentDictionary<string, Bucket> _buckets = new(StringComparer.Ordinal);
    private readonly double _rate = options.Value.TokenFramesPerSecond;
    private readonly double _burst = options.Value.TokenBurst;

    /// <summary>Takes one frame's allowance for <paramref name="jti"/>; false when it has none left.</summary>
    public bool TryTake(string jti)
    {
        var now = time.GetTimestamp();
        var bucket = _buckets.GetOrAdd(jti, _ => new Bucket { Tokens = _burst, Last = now });
        lock (bucket)
        {
            bucket.Tokens = Math.Min(_burst, bucket.Tokens + time.GetElapsedTime(bucket.Last, now).TotalSeconds * _rate);
            bucket.Last = now;
            if (bucket.Tokens < 1) return false;
            bucket.Tokens -= 1;
        }
        if (_buckets.Count > 100_000) Sweep(now);
        return true;
    }

    // Buckets that have refilled completely carry no information any more.
    private void Sweep(long now)
    {
        foreach (var (jti, bucket) in _buckets)
            if (time.GetElapsedTime(bucket.Last, now).TotalSeconds * _rate >= _burst) _buckets.TryRemove(jti, out _);
    }
}
