using Bridge.Protocols.Dns;

namespace Bridge.Service.Discovery;

/// <summary>Records heard from others, kept for their TTL (RFC 6762 §10). A goodbye (TTL 0)
/// keeps a record one more second; a cache-flush record makes older records of the same name
/// and type expire one second later (§10.2) — older than a second, so the rest of the same
/// burst survives. Thread-safe; time comes from the injected clock.</summary>
/// <param name="refreshJitter">Random extra, as a share of the TTL, added to each refresh point so
/// queriers that heard the same record don't all ask at once (RFC 6762 §5.2: 2 %); tests pass 0.</param>
/// <param name="maxEntries">At most this many records: every host on the LAN can send records (with TTLs
/// of years), so without a bound the cache would grow with whatever anyone sends. When full, expired ones
/// leave through <see cref="RemoveExpired"/> as usual (so their instances are still reported lost), and a
/// new record that finds no room is not cached.</param>
public sealed class MdnsCache(TimeProvider time, double refreshJitter = 0.02, int maxEntries = MdnsCache.DefaultMaxEntries)
{
    public const int DefaultMaxEntries = 10_000;

    private static readonly TimeSpan Grace = TimeSpan.FromSeconds(1);
    /// <summary>RFC 6762 §5.2: ask again at 80, 85, 90 and 95 % of the TTL, then let it expire.</summary>
    private static readonly double[] RefreshPoints = [0.80, 0.85, 0.90, 0.95];

    private readonly record struct Key(DnsName Name, DnsType Type, DnsRecordData Data);

    private sealed class Entry(DnsRecord record, DateTimeOffset received, DateTimeOffset expires, double jitter)
    {
        public DnsRecord Record = record;
        public DateTimeOffset Received = received;
        public DateTimeOffset Expires = expires;
        /// <summary>How many of the refresh points have been handed out since the record was last heard.</summary>
        public int Refreshes;
        public readonly double Jitter = jitter;

        /// <summary>When the next refresh query is due; null after the last one (95 %).</summary>
        public DateTimeOffset? NextRefresh =>
            Refreshes < RefreshPoints.Length ? Received + (Expires - Received) * (RefreshPoints[Refreshes] + Jitter) : null;
    }

    private readonly Dictionary<Key, Entry> _entries = [];
    private readonly Lock _sync = new();

    public int Count
    {
        get { lock (_sync) return _entries.Count; }
    }

    /// <summary>Takes in a record; true when it was not known before (new data).</summary>
    public bool Add(DnsRecord record)
    {
        var now = time.GetUtcNow();
        var key = new Key(record.Name, record.Type, record.Data);
        lock (_sync)
        {
            if (record.CacheFlush && record.Ttl > 0)
            {
                foreach (var (k, e) in _entries)
                    if (k.Type == record.Type && k.Name == record.Name && !k.Data.Equals(record.Data) && now - e.Received > Grace && e.Expires > now + Grace)
                        e.Expires = now + Grace;
            }
            if (_entries.TryGetValue(key, out var existing))
            {
                existing.Record = record;
                existing.Received = now;
                existing.Expires = record.Ttl == 0 ? now + Grace : now + TimeSpan.FromSeconds(record.Ttl);
                existing.Refreshes = record.Ttl == 0 ? RefreshPoints.Length : 0;
                return false;
            }
            if (record.Ttl == 0) return false;
            if (_entries.Count >= maxEntries) return false;
            _entries[key] = new Entry(record, now, now + TimeSpan.FromSeconds(record.Ttl), refreshJitter > 0 ? Random.Shared.NextDouble() * refreshJitter : 0);
            return true;
        }
    }

    /// <summary>Unexpired records of a name and type, with their remaining TTL, the most recently heard
    /// first: after a move (a new A record with cache-flush) the new address leads while the old one
    /// lives out its last second.</summary>
    public IReadOnlyList<DnsRecord> Get(DnsName name, DnsType type)
    {
        var now = time.GetUtcNow();
        lock (_sync)
            return _entries.Values.Where(e => e.Expires > now && e.Record.Type == type && e.Record.Name == name)
                .OrderByDescending(e => e.Received)
                .Select(e => e.Record.WithTtl(Remaining(e, now))).ToArray();
    }

    /// <summary>Records worth listing as known answers (RFC 6762 §7.1): at least half the TTL left.</summary>
    public IReadOnlyList<DnsRecord> KnownAnswers(DnsName name, DnsType type) =>
        Get(name, type).Where(r => Original(r) is { } ttl && r.Ttl * 2 >= ttl).ToArray();

    private uint? Original(DnsRecord r)
    {
        lock (_sync) return _entries.TryGetValue(new Key(r.Name, r.Type, r.Data), out var e) ? e.Record.Ttl : null;
    }

    /// <summary>Removes expired records and returns them.</summary>
    public IReadOnlyList<DnsRecord> RemoveExpired()
    {
        var now = time.GetUtcNow();
        lock (_sync)
        {
            var gone = _entries.Where(p => p.Value.Expires <= now).ToArray();
            foreach (var (k, _) in gone) _entries.Remove(k);
            return gone.Select(p => p.Value.Record).ToArray();
        }
    }

    /// <summary>When the next record expires, or its next refresh query is due; null when empty.</summary>
    public DateTimeOffset? NextDeadline()
    {
        lock (_sync)
        {
            DateTimeOffset? next = null;
            foreach (var e in _entries.Values)
            {
                var at = e.NextRefresh is { } refresh && refresh < e.Expires ? refresh : e.Expires;
                if (next is null || at < next) next = at;
            }
            return next;
        }
    }

    /// <summary>Records whose next refresh point (80, 85, 90, 95 % of the TTL) has passed, which a querier
    /// should ask for again now. Each point is handed out once: the next call returns the record only at its
    /// next point, or after it was heard again and aged anew.</summary>
    public IReadOnlyList<DnsRecord> DueForRefresh()
    {
        var now = time.GetUtcNow();
        var due = new List<DnsRecord>();
        lock (_sync)
        {
            foreach (var e in _entries.Values)
            {
                if (e.Expires <= now || e.NextRefresh is not { } at || at > now) continue;
                // Late (the querier slept through several points): one query now, and on to the next point ahead.
                while (e.NextRefresh is { } passed && passed <= now) e.Refreshes++;
                due.Add(e.Record);
            }
        }
        return due;
    }

    private static uint Remaining(Entry e, DateTimeOffset now) => (uint)Math.Max(0, Math.Ceiling((e.Expires - now).TotalSeconds));
}
