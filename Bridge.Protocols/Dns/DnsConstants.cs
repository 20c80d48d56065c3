namespace Bridge.Protocols.Dns;

/// <summary>Record types the codec understands; others are carried as raw bytes.</summary>
public enum DnsType : ushort
{
    A = 1,
    Ptr = 12,
    Txt = 16,
    Aaaa = 28,
    Srv = 33,
    Nsec = 47,
    Any = 255,
}

public static class DnsConstants
{
    public const ushort ClassIn = 1;
    /// <summary>Top bit of QCLASS in mDNS: "a unicast reply is acceptable" (RFC 6762 §5.4).</summary>
    public const ushort UnicastResponseBit = 0x8000;
    /// <summary>Top bit of RRCLASS in mDNS: "this is the whole unique RRset" (RFC 6762 §10.2).</summary>
    public const ushort CacheFlushBit = 0x8000;

    public const ushort FlagResponse = 0x8000;
    public const ushort FlagAuthoritative = 0x0400;
    public const ushort FlagTruncated = 0x0200;
    public const ushort OpcodeMask = 0x7800;
    public const ushort RcodeMask = 0x000F;

    public const int HeaderLength = 12;
    /// <summary>RFC 6762 §17: never more than 9000 bytes including IP and UDP headers.</summary>
    public const int MaxMessageLength = 9000;
    /// <summary>IPv4 (20) and UDP (8) headers: what a packet's size limit leaves less for the DNS message.</summary>
    public const int IPv4UdpHeaderLength = 28;
    public const int MdnsPort = 5353;
}
