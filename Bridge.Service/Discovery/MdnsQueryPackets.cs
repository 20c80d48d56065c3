using System.Text;
using Bridge.Protocols.Dns;

namespace Bridge.Service.Discovery;

/// <summary>RFC 6762 §7.2: a query whose known answers do not fit in one packet goes out as the
/// questions with as many known answers as fit, then packets of known answers only, TC set on all but
/// the last so responders wait for the rest. Pure.</summary>
public static class MdnsQueryPackets
{
    /// <summary>The packets for <paramref name="query"/>, each at most <paramref name="limit"/> bytes
    /// encoded. A known answer too large for a packet of its own is left out: listing it is an
    /// optimisation, and without it the responder merely answers with it.</summary>
    public static IReadOnlyList<DnsMessage> Split(DnsMessage query, int limit)
    {
        if (query.Answers.Count == 0 || DnsWriter.Write(query).Length <= limit) return [query];
        var packets = new List<DnsMessage>();
        var first = true;
        var answers = new List<DnsRecord>();
        var size = Size(query with { Answers = [] });
        foreach (var r in query.Answers)
        {
            // An upper bound (no compression) decides most records without encoding; only near the limit
            // is the packet encoded for its real size. Keeps splitting linear in the number of answers.
            var bound = size + UncompressedSize(r);
            if (bound <= limit)
            {
                answers.Add(r);
                size = bound;
                continue;
            }
            var exact = Size(Packet(query, first, [.. answers, r], truncated: true));
            if (exact <= limit)
            {
                answers.Add(r);
                size = exact;
                continue;
            }
            if (answers.Count > 0 || first)
            {
                packets.Add(Packet(query, first, answers, truncated: true));
                first = false;
                answers = [];
            }
            size = Size(Packet(query, first: false, [r], truncated: true));
            if (size <= limit) answers.Add(r);
            else size = DnsConstants.HeaderLength;
        }
        if (answers.Count > 0 || first) packets.Add(Packet(query, first, answers, truncated: false));
        else if (packets.Count > 0) packets[^1] = packets[^1] with { Flags = (ushort)(packets[^1].Flags & ~DnsConstants.FlagTruncated) };
        return packets;
    }

    /// <summary>The first packet carries the questions (and any other sections); the rest known answers only.</summary>
    private static DnsMessage Packet(DnsMessage query, bool first, IReadOnlyList<DnsRecord> answers, bool truncated) =>
        query with
        {
            Flags = truncated ? (ushort)(query.Flags | DnsConstants.FlagTruncated) : (ushort)(query.Flags & ~DnsConstants.FlagTruncated),
            Questions = first ? query.Questions : [],
            Answers = answers.ToArray(),
            Authorities = first ? query.Authorities : [],
            Additionals = first ? query.Additionals : [],
        };

    private static int Size(DnsMessage m) => DnsWriter.Write(m).Length;

    /// <summary>What a record takes at most: owner name in full, type, class, TTL, length, RDATA in full.</summary>
    private static int UncompressedSize(DnsRecord r) => NameSize(r.Name) + 10 + DnsWriter.CanonicalData(r).Length;

    private static int NameSize(DnsName name) => 1 + name.Labels.Sum(l => 1 + Encoding.UTF8.GetByteCount(l));
}
