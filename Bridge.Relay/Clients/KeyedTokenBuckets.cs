using System.Collections.Concurrent;

namespace Bridge.Relay.Clients;

/// <summary>A token bucket per key (a token id, an address): <c>rate</c> per second, up to <c>burst</c>
/// at once. Buckets that have refilled completely are swept when there are many, so a flood of
/// distinct keys cannot grow memory without bound. Time comes from the injected TimeProvider.</summary>
public sealed class KeyedTokenBuckets<TKey>(double rate, double burst, TimeProvider time, IEqualityComparer<TKey>? comparer = null)
    where TKey : notnull
{
    private const int SweepAbove = 100_000;

    private sealed class Bucket
    {
        public double Tokens;
        public long Last;
    }

    private readonly ConcurrentDictionary<TKey, Bucket> _buckets = new(comparer);
    /// <summary>Sweeps at most once per time a bucket takes to refill: a sweep that found nothing to
    /// remove would find nothing sooner either, and sweeping on every call above the threshold would
    /// make each request of a many-address flood walk the whole dictionary.</summary>
    private readonly long _sweepEvery = (long)(Math.Max(1, burst / rate) * time.TimestampFrequency);
    private long _nextSweep = long.MinValue;

    /// <summary>How many keys have a bucket now.</summary>
    public int Count => _buckets.Count;

    /// <summary>Takes one unit of <paramref name="key"/>'s allowance; false when it has none left.</summary>
    public bool TryTake(TKey key)
    {
        var now = time.GetTimestamp();
        var bucket = _buckets.GetOrAdd(key, static (_, state) => new Bucket { Tokens = state.burst, Last = state.now }, (burst, now));
        lock (bucket)
        {
            bucket.Tokens = Math.Min(burst, bucket.Tokens + time.GetElapsedTime(bucket.Last, now).TotalSeconds * rate);
            bucket.Last = now;
            if (bucket.Tokens < 1) return false;
            bucket.Tokens -= 1;
        }
        if (_buckets.Count > SweepAbove) MaybeSweep(now);
        return true;
    }

    private void MaybeSweep(long now)
    {
        var due = Interlocked.Read(ref _nextSweep);
        if (now < due || Interlocked.CompareExchange(ref _nextSweep, now + _sweepEvery, due) != due) return;
        Sweep(now);
    }

    // Buckets that have refilled completely carry no information any more.
    private void Sweep(long now)
    {
        foreach (var (key, bucket) in _buckets)
            if (time.GetElapsedTime(bucket.Last, now).TotalSeconds * rate >= burst) _buckets.TryRemove(key, out _);
    }
}
