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
            // RFC 6762 §6.1: a name we own asked for a type we lack gets an NSEC, so the asker
            // (AAAA after A, typically) stops waiting instead of timing out.
            if (q.Type != DnsType.Any && Negative(q.Name, q.Type, own) is { } nsec && !answers.Contains(nsec)) answers.Add(nsec);
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
            if (Negative(host, DnsType.Aaaa, own) is { } noAaaa) Add(noAaaa);
        }
        return new MdnsReply(answers, additionals, answers.Any(r => !r.CacheFlush));
    }

    /// <summary>An NSEC saying which types a unique name of ours has, when it lacks
    /// <paramref name="type"/>; null when the name is not ours or has that type.</summary>
    public static DnsRecord? Negative(DnsName name, DnsType type, IReadOnlyList<DnsRecord> own)
    {
        var mine = own.Where(r => r.Name == name && r.CacheFlush).ToArray();
        if (mine.Length == 0 || mine.Any(r => r.Type == type)) return null;
        var types = mine.Select(r => (int)r.Type).Where(t => t < 256).Distinct().ToArray();
        // One window (0): types below 256, as RFC 6762 §6.1 restricts mDNS NSEC to.
        var length = types.Max() / 8 + 1;
        var bitmap = new byte[2 + length];
        bitmap[1] = (byte)length;
        foreach (var t in types) bitmap[2 + t / 8] |= (byte)(0x80 >> (t % 8));
        return new DnsRecord(name, DnsType.Nsec, mine.Min(r => r.Ttl), new NsecData(name, bitmap), CacheFlush: true);
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

    /// <summary>Simultaneous probes (RFC 6762 §8.2): both sides' proposed records for the name,
    /// sorted by class, type and canonical RDATA, compared in turn; the lexicographically later
    /// set wins, and a set that is a prefix of the other loses. True when ours loses.</summary>
    public static bool LosesTieBreak(IEnumerable<DnsRecord> ours, IEnumerable<DnsRecord> theirs)
    {
        static (int Class, int Type, byte[] Data)[] Sorted(IEnumerable<DnsRecord> records) => records
            .Select(r => ((int)r.Class, (int)r.Type, DnsWriter.CanonicalData(r)))
            .OrderBy(x => x.Item1).ThenBy(x => x.Item2).ThenBy(x => x.Item3, ByteOrder.Instance).ToArray();
        var a = Sorted(ours);
        var b = Sorted(theirs);
        for (var i = 0; i < Math.Min(a.Length, b.Length); i++)
        {
            var c = a[i].Class.CompareTo(b[i].Class);
            if (c == 0) c = a[i].Type.CompareTo(b[i].Type);
            if (c == 0) c = ByteOrder.Instance.Compare(a[i].Data, b[i].Data);
            if (c != 0) return c < 0;
        }
        return a.Length < b.Length;
    }

    private sealed class ByteOrder : IComparer<byte[]>
    {
        public static readonly ByteOrder Instance = new();
        public int Compare(byte[]? x, byte[]? y) => x.AsSpan().SequenceCompareTo(y);
    }

    /// <summary>Legacy unicast (RFC 6762 §6.7): TTLs at most 10 s and no cache-flush bit.</summary>
    public static IReadOnlyList<DnsRecord> ForLegacy(IReadOnlyList<DnsRecord> records) =>
        records.Select(r => r with { Ttl = Math.Min(r.Ttl, 10u), CacheFlush = false }).ToArray();
}
