using Bridge.Protocols.Dns;

namespace Bridge.Service.Discovery;

/// <summary>Traffic another host's packet makes unnecessary (RFC 6762 §7.3, §7.4). Pure: the querier
/// and responder act on what these return.</summary>
public static class MdnsSuppression
{
    /// <summary>§7.3 duplicate question suppression: the QM questions of another host's query that stand
    /// for ours — it lists no known answer that we would not list too, so the answers it draws cover
    /// everything we lack.</summary>
    public static IReadOnlyList<DnsQuestion> DuplicateQuestions(DnsMessage query, Func<DnsQuestion, IReadOnlyList<DnsRecord>> ourKnownAnswers)
    {
        // With TC set more known answers follow in other packets: this one alone can't show it knows no more than we do.
        if (query.IsResponse || query.IsTruncated) return [];
        var duplicates = new List<DnsQuestion>();
        foreach (var q in query.Questions)
        {
            if (q.UnicastResponse) continue; // a QU question brings its answer to the asker only
            var theirs = query.Answers.Where(a => a.Type == q.Type && a.Name == q.Name).ToArray();
            var ours = ourKnownAnswers(q);
            if (theirs.All(t => ours.Any(mine => mine.SameRecord(t)))) duplicates.Add(q);
        }
        return duplicates;
    }

    /// <summary>Whether two queries are the same packet's content (questions, and known answers by record):
    /// how a querier tells its own query, looped back, from another host's.</summary>
    public static bool SameQuery(DnsMessage a, DnsMessage b) =>
        a.Questions.SequenceEqual(b.Questions) && a.Answers.Count == b.Answers.Count
        && a.Answers.Zip(b.Answers).All(p => p.First.SameRecord(p.Second));

    /// <summary>§7.4 duplicate answer suppression: those of our records another responder has just sent
    /// with at least the TTL we would give; answering them again within the second adds nothing.</summary>
    public static IReadOnlyList<DnsRecord> AnsweredByOthers(DnsMessage response, IReadOnlyList<DnsRecord> ours)
    {
        if (!response.IsResponse) return [];
        return ours.Where(mine => response.Answers.Any(r => r.SameRecord(mine) && r.Ttl >= mine.Ttl)).ToArray();
    }
}
