using Bridge.Protocols.Dns;

namespace Bridge.Service.Discovery;

/// <summary>RFC 6762 §6: a record is multicast on an interface at most once per second
/// (250 ms when defending against a probe).</summary>
public sealed class MulticastLimiter(TimeProvider time)
{
    private readonly record struct Key(int Interface, DnsName Name, DnsType Type, DnsRecordData Data);

    private readonly Dictionary<Key, long> _last = [];
    private readonly Lock _sync = new();

    public IReadOnlyList<DnsRecord> Filter(LanInterface via, IReadOnlyList<DnsRecord> records, TimeSpan quiet)
    {
        var now = time.GetTimestamp();
        lock (_sync)
            return records.Where(r => !_last.TryGetValue(KeyOf(via, r), out var at) || time.GetElapsedTime(at, now) >= quiet).ToArray();
    }

    public void Sent(LanInterface via, IEnumerable<DnsRecord> records)
    {
        var now = time.GetTimestamp();
        lock (_sync)
            foreach (var r in records) _last[KeyOf(via, r)] = now;
    }

    private static Key KeyOf(LanInterface via, DnsRecord r) => new(via.Index, r.Name, r.Type, r.Data);
}
