namespace Bridge.Protocols.Dns;

/// <summary>A resource record. <see cref="CacheFlush"/> is mDNS's top class bit, kept apart from the class.</summary>
public sealed record DnsRecord(DnsName Name, DnsType Type, uint Ttl, DnsRecordData Data, bool CacheFlush = false, ushort Class = DnsConstants.ClassIn)
{
    /// <summary>Same owner, type, class and data: the identity used for known-answer suppression
    /// and caching (TTL and the flush bit are not part of it).</summary>
    public bool SameRecord(DnsRecord other) =>
        Type == other.Type && Class == other.Class && Name == other.Name && Data.Equals(other.Data);

    public DnsRecord WithTtl(uint ttl) => this with { Ttl = ttl };
}
