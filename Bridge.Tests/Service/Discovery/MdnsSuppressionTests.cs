using Bridge.Service.Drivers.Shelly;
using System.Net;
using Bridge.Protocols.Dns;
using Bridge.Service.Discovery;

namespace Bridge.Tests.Service.Discovery;

/// <summary>RFC 6762 §7.3 and §7.4: what another host's query or response spares us from sending.</summary>
public sealed class MdnsSuppressionTests
{
    private static readonly DnsName Type = ShellyMdnsMatcher.ServiceType;
    private static readonly DnsRecord KnownA = Ptr("shellyplus1-a");
    private static readonly DnsRecord KnownB = Ptr("shellyplus1-b");
    private static readonly DnsQuestion Browse = new(Type, DnsType.Ptr);

    private static DnsRecord Ptr(string instance) => new(Type, DnsType.Ptr, 4500, new PtrData(Type.Prepend(instance)));

    private static DnsMessage Query(DnsQuestion question, params DnsRecord[] known) => new() { Questions = [question], Answers = known };

    [Fact]
    public void Another_query_listing_only_what_we_know_stands_for_ours()
    {
        var theirs = Query(Browse, KnownA);
        Assert.Equal([Browse], MdnsSuppression.DuplicateQuestions(theirs, _ => [KnownA, KnownB]));
        Assert.Equal([Browse], MdnsSuppression.DuplicateQuestions(Query(Browse), _ => [KnownA]));
    }

    [Fact]
    public void A_query_listing_an_answer_we_lack_does_not_it_would_leave_us_without_that_answer()
    {
        Assert.Empty(MdnsSuppression.DuplicateQuestions(Query(Browse, KnownA, KnownB), _ => [KnownA]));
    }

    [Fact]
    public void A_query_whose_known_answers_continue_in_more_packets_does_not_its_rest_may_list_what_we_lack()
    {
        var truncated = Query(Browse, KnownA) with { Flags = DnsConstants.FlagTruncated };
        Assert.Empty(MdnsSuppression.DuplicateQuestions(truncated, _ => [KnownA, KnownB]));
    }

    [Fact]
    public void QU_questions_and_responses_suppress_nothing()
    {
        Assert.Empty(MdnsSuppression.DuplicateQuestions(Query(Browse with { UnicastResponse = true }), _ => []));
        Assert.Empty(MdnsSuppression.DuplicateQuestions(DnsMessage.Response([KnownA]), _ => []));
    }

    [Fact]
    public void A_loop_back_of_our_own_query_is_recognised()
    {
        Assert.True(MdnsSuppression.SameQuery(Query(Browse, KnownA), Query(Browse, KnownA.WithTtl(4000))));
        Assert.False(MdnsSuppression.SameQuery(Query(Browse, KnownA), Query(Browse, KnownB)));
    }

    [Fact]
    public void Another_responder_sending_our_answer_with_at_least_our_TTL_counts_as_sent()
    {
        var enumeration = new DnsRecord(DnsName.Parse("_services._dns-sd._udp.local"), DnsType.Ptr, 4500, new PtrData(DnsName.Parse("_devicebridge._tcp.local")));
        var host = new DnsRecord(DnsName.Parse("bridge.local"), DnsType.A, 120, new AddressData(IPAddress.Parse("127.0.0.1")), CacheFlush: true);
        DnsRecord[] ours = [enumeration, host];

        Assert.Equal([enumeration], MdnsSuppression.AnsweredByOthers(DnsMessage.Response([enumeration]), ours));
        Assert.Empty(MdnsSuppression.AnsweredByOthers(DnsMessage.Response([enumeration.WithTtl(100)]), ours));
        Assert.Empty(MdnsSuppression.AnsweredByOthers(new DnsMessage { Questions = [new DnsQuestion(enumeration.Name, DnsType.Ptr)], Answers = [enumeration] }, ours));
    }
}
