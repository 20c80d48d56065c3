using Bridge.Protocols.Dns;

namespace Bridge.Service.Discovery;

/// <summary>What to send back for one query.</summary>
/// <param name="Shared">Some answer is a shared record (PTR): RFC 6762 §6 wants a random
/// 20–120 ms delay so many responders don't answer at once.</param>
public sealed record MdnsReply(IReadOnlyList<DnsRecord> Answers, IReadOnlyList<DnsRecord> Additionals, bool Shared);

/// <summary>Pure answering rules (RFC 6762 §6, §7.1; RFC 6763 §12): matching questions against
/// our own records, known-answer suppression, and the additional records a client needs next.</summary>
public static class MdnsAnswerer
{
    public static MdnsReply? Answer(DnsMessage query, IReadOnlyList<DnsRecord> own)
    {
        var answers = new List<DnsRecord>();
        foreach (var q in query.Questions)
        {
            if (q.Class is not (DnsConstants.ClassIn or 255)) continue;
            foreach (var r in own)
                if (r.Name == q.Name && (q.Type == DnsType.Any || q.Type == r.Type) && !answers.Contains(r) && !KnownAnswer(query, r))
                    answers.Add(r);
        }
        if (answers.Count == 0) return null;

        var additionals = new List<DnsRecord>();
        void Add(DnsRecord r)
        {
            if (!answers.Contains(r) && !additionals.Contains(r) && !KnownAnswer(query, r)) additionals.Add(r);
        }
        foreach (var a in answers.ToArray())
        {
            if (a.Data is PtrData ptr)
                foreach (var r in own)
                    if (r.Name == ptr.Target && r.Type is DnsType.Srv or DnsType.Txt) Add(r);
        }
        foreach (var srv in answers.Concat(additionals).Where(r => r.Data is SrvData).ToArray())
        {
            var host = ((SrvData)srv.Data).Target;
            foreach (var r in own)
                if (r.Name == host && r.Type is DnsType.A or DnsType.Aaaa) Add(r);
        }
        return new MdnsReply(answers, additionals, answers.Any(r => !r.CacheFlush));
    }

    /// <summary>RFC 6762 §7.1: the querier already holds it with at least half its TTL left.</summary>
    public static bool KnownAnswer(DnsMessage query, DnsRecord r) =>
        query.Answers.Any(k => k.SameRecord(r) && k.Ttl >= r.Ttl / 2);

    /// <summary>A response that claims one of our unique names with data we don't hold (RFC 6762 §9).</summary>
    public static bool Conflicts(DnsMessage response, BridgeAdvertisement ad, IReadOnlyList<DnsRecord> own)
    {
        foreach (var r in response.Answers.Concat(response.Additionals))
        {
            if (r.Ttl == 0 || !ad.OwnsName(r.Name) || r.Type is not (DnsType.Srv or DnsType.Txt or DnsType.A or DnsType.Aaaa)) continue;
            if (!own.Any(o => o.SameRecord(r))) return true;
        }
        return false;
    }

    /// <summary>Legacy unicast (RFC 6762 §6.7): TTLs at most 10 s and no cache-flush bit.</summary>
    public static IReadOnlyList<DnsRecord> ForLegacy(IReadOnlyList<DnsRecord> records) =>
        records.Select(r => r with { Ttl = Math.Min(r.Ttl, 10u), CacheFlush = false }).ToArray();
}
