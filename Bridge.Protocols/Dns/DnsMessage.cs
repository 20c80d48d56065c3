namespace Bridge.Protocols.Dns;

/// <summary>A whole DNS message: header fields and the four sections.</summary>
public sealed record DnsMessage
{
    public ushort Id { get; init; }
    public ushort Flags { get; init; }
    public IReadOnlyList<DnsQuestion> Questions { get; init; } = [];
    public IReadOnlyList<DnsRecord> Answers { get; init; } = [];
    public IReadOnlyList<DnsRecord> Authorities { get; init; } = [];
    public IReadOnlyList<DnsRecord> Additionals { get; init; } = [];

    public bool IsResponse => (Flags & DnsConstants.FlagResponse) != 0;
    public bool IsTruncated => (Flags & DnsConstants.FlagTruncated) != 0;
    public int Opcode => (Flags & DnsConstants.OpcodeMask) >> 11;
    public int Rcode => Flags & DnsConstants.RcodeMask;

    /// <summary>An mDNS query (flags 0, id 0).</summary>
    public static DnsMessage Query(params DnsQuestion[] questions) => new() { Questions = questions };

    /// <summary>An mDNS response (flags 0x8400: QR and AA).</summary>
    public static DnsMessage Response(IReadOnlyList<DnsRecord> answers, IReadOnlyList<DnsRecord>? additionals = null) => new()
    {
        Flags = DnsConstants.FlagResponse | DnsConstants.FlagAuthoritative,
        Answers = answers,
        Additionals = additionals ?? [],
    };
}
