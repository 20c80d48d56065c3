using System.Net;
using Bridge.Protocols.Dns;
using Bridge.Service.Discovery;

namespace Bridge.Tests.Service.Discovery;

/// <summary>The responder's answering rules, without a socket.</summary>
public sealed class MdnsAnswererTests
{
    private static readonly BridgeAdvertisement Ad = new("abcdefghijklmnop", 8970);
    private static readonly IPAddress Address = IPAddress.Parse("192.168.1.20");
    private static readonly IReadOnlyList<DnsRecord> Own = Ad.Records([Address]);

    private static DnsRecord OwnRecord(DnsType type) => Own.First(r => r.Type == type && r.Name != BridgeAdvertisement.ServiceEnumeration);

    [Fact]
    public void Records_are_as_the_contract_says()
    {
        Assert.Equal("DeviceBridge-abcdefghijklmnop._devicebridge._tcp.local.", Ad.Instance.ToString());
        var txt = ((TxtData)OwnRecord(DnsType.Txt).Data).ToDictionary();
        Assert.Equal(["id", "path", "v"], txt.Keys.Order());
        Assert.Equal("abcdefghijklmnop", txt["id"]);
        Assert.Equal("/api/v1/ws", txt["path"]);
        Assert.Equal("1", txt["v"]);
        var srv = (SrvData)OwnRecord(DnsType.Srv).Data;
        Assert.Equal((ushort)8970, srv.Port);
        Assert.Equal(Ad.Host, srv.Target);
        Assert.False(OwnRecord(DnsType.Ptr).CacheFlush);
        Assert.All(Own.Where(r => r.Type != DnsType.Ptr), r => Assert.True(r.CacheFlush));
        Assert.Equal(120u, OwnRecord(DnsType.Srv).Ttl);
        Assert.Equal(4500u, OwnRecord(DnsType.Txt).Ttl);
    }

    [Fact]
    public void A_PTR_question_gets_the_instance_with_SRV_TXT_and_A_as_additionals()
    {
        var reply = MdnsAnswerer.Answer(DnsMessage.Query(new DnsQuestion(BridgeAdvertisement.ServiceType, DnsType.Ptr)), Own)!;
        Assert.Equal(new PtrData(Ad.Instance), Assert.Single(reply.Answers).Data);
        Assert.True(reply.Shared);
        Assert.Equal([DnsType.Srv, DnsType.Txt, DnsType.A, DnsType.Nsec], reply.Additionals.Select(r => r.Type));
    }

    [Fact]
    public void An_SRV_question_gets_the_host_address_too_and_is_not_delayed()
    {
        var reply = MdnsAnswerer.Answer(DnsMessage.Query(new DnsQuestion(Ad.Instance, DnsType.Srv)), Own)!;
        Assert.Equal(DnsType.Srv, Assert.Single(reply.Answers).Type);
        Assert.Equal([DnsType.A, DnsType.Nsec], reply.Additionals.Select(r => r.Type));
        Assert.False(reply.Shared);
    }

    [Fact]
    public void TXT_and_A_and_ANY_questions()
    {
        Assert.Empty(MdnsAnswerer.Answer(DnsMessage.Query(new DnsQuestion(Ad.Instance, DnsType.Txt)), Own)!.Additionals);
        Assert.Equal(Address, ((AddressData)Assert.Single(MdnsAnswerer.Answer(DnsMessage.Query(new DnsQuestion(Ad.Host, DnsType.A)), Own)!.Answers).Data).Address);
        Assert.Equal(2, MdnsAnswerer.Answer(DnsMessage.Query(new DnsQuestion(Ad.Instance, DnsType.Any)), Own)!.Answers.Count);
        Assert.Equal(DnsType.Nsec, Assert.Single(MdnsAnswerer.Answer(DnsMessage.Query(new DnsQuestion(Ad.Host, DnsType.Aaaa)), Own)!.Answers).Type);
        Assert.Null(MdnsAnswerer.Answer(DnsMessage.Query(new DnsQuestion(DnsName.Parse("_http._tcp.local"), DnsType.Ptr)), Own));
    }

    [Fact]
    public void A_missing_type_of_our_names_is_denied_with_NSEC()
    {
        var host = (NsecData)MdnsAnswerer.Negative(Ad.Host, DnsType.Aaaa, Own)!.Data;
        Assert.Equal(Ad.Host, host.Next);
        Assert.Equal(new byte[] { 0, 1, 0x40 }, host.TypeBitmaps);
        var instance = (NsecData)MdnsAnswerer.Negative(Ad.Instance, DnsType.A, Own)!.Data;
        Assert.Equal(new byte[] { 0, 5, 0, 0, 0x80, 0, 0x40 }, instance.TypeBitmaps);
        Assert.Null(MdnsAnswerer.Negative(Ad.Host, DnsType.A, Own));
        Assert.Null(MdnsAnswerer.Negative(BridgeAdvertisement.ServiceType, DnsType.Srv, Own));
        Assert.Null(MdnsAnswerer.Negative(DnsName.Parse("other.local"), DnsType.A, Own));
    }

    [Fact]
    public void Service_type_enumeration_names_our_type()
    {
        var reply = MdnsAnswerer.Answer(DnsMessage.Query(new DnsQuestion(BridgeAdvertisement.ServiceEnumeration, DnsType.Ptr)), Own)!;
        Assert.Equal(new PtrData(BridgeAdvertisement.ServiceType), Assert.Single(reply.Answers).Data);
    }

    [Fact]
    public void Known_answers_with_half_their_TTL_left_are_not_repeated()
    {
        var ptr = OwnRecord(DnsType.Ptr);
        var fresh = DnsMessage.Query(new DnsQuestion(BridgeAdvertisement.ServiceType, DnsType.Ptr)) with { Answers = [ptr.WithTtl(2250)] };
        Assert.Null(MdnsAnswerer.Answer(fresh, Own));
        var stale = fresh with { Answers = [ptr.WithTtl(2249)] };
        Assert.NotNull(MdnsAnswerer.Answer(stale, Own));
        var other = fresh with { Answers = [new DnsRecord(BridgeAdvertisement.ServiceType, DnsType.Ptr, 4500, new PtrData(DnsName.Parse("x._devicebridge._tcp.local")))] };
        Assert.NotNull(MdnsAnswerer.Answer(other, Own));
    }

    [Fact]
    public void Known_additionals_are_left_out()
    {
        var query = DnsMessage.Query(new DnsQuestion(BridgeAdvertisement.ServiceType, DnsType.Ptr)) with { Answers = [OwnRecord(DnsType.Txt)] };
        Assert.DoesNotContain(MdnsAnswerer.Answer(query, Own)!.Additionals, r => r.Type == DnsType.Txt);
    }

    [Fact]
    public void Legacy_answers_have_short_TTLs_and_no_cache_flush()
    {
        var legacy = MdnsAnswerer.ForLegacy(Own);
        Assert.All(legacy, r => Assert.True(r.Ttl <= 10 && !r.CacheFlush));
    }

    [Fact]
    public void Someone_else_claiming_our_names_is_a_conflict_but_our_own_echo_and_goodbyes_are_not()
    {
        Assert.False(MdnsAnswerer.Conflicts(DnsMessage.Response(Own), Ad, Own));
        var theirs = new DnsRecord(Ad.Host, DnsType.A, 120, new AddressData(IPAddress.Parse("192.168.1.99")), true);
        Assert.True(MdnsAnswerer.Conflicts(DnsMessage.Response([theirs]), Ad, Own));
        Assert.False(MdnsAnswerer.Conflicts(DnsMessage.Response([theirs.WithTtl(0)]), Ad, Own));
        var otherSrv = new DnsRecord(Ad.Instance, DnsType.Srv, 120, new SrvData(0, 0, 1, Ad.Host), true);
        Assert.True(MdnsAnswerer.Conflicts(DnsMessage.Response([otherSrv]), Ad, Own));
        Assert.False(MdnsAnswerer.Conflicts(DnsMessage.Response([otherSrv with { Name = DnsName.Parse("x._devicebridge._tcp.local") }]), Ad, Own));
    }

    [Fact]
    public void Renaming_after_a_conflict()
    {
        var next = Ad.Renamed();
        Assert.Equal("DeviceBridge-abcdefghijklmnop (2)", next.Instance.Labels[0]);
        Assert.Equal("devicebridge-abcdefghijklmnop-2", next.Host.Labels[0]);
    }
}

/// <summary>RFC 6762 §8.2 tie-breaking between simultaneous probes.</summary>
public sealed class ProbeTieBreakTests
{
    private static readonly BridgeAdvertisement Ad = new("abcdefghijklmnop", 8970);

    [Fact]
    public void The_lexicographically_earlier_proposal_loses()
    {
        var low = Ad.Unique([IPAddress.Parse("192.168.1.10")]).Where(r => r.Type == DnsType.A).ToArray();
        var high = Ad.Unique([IPAddress.Parse("192.168.1.20")]).Where(r => r.Type == DnsType.A).ToArray();
        Assert.True(MdnsAnswerer.LosesTieBreak(low, high));
        Assert.False(MdnsAnswerer.LosesTieBreak(high, low));
        Assert.False(MdnsAnswerer.LosesTieBreak(high, high));
    }

    [Fact]
    public void A_proposal_that_is_a_prefix_of_the_other_loses()
    {
        var one = Ad.Unique([IPAddress.Parse("192.168.1.10")]).Where(r => r.Type == DnsType.A).ToArray();
        var two = Ad.Unique([IPAddress.Parse("192.168.1.10"), IPAddress.Parse("192.168.1.11")]).Where(r => r.Type == DnsType.A).ToArray();
        Assert.True(MdnsAnswerer.LosesTieBreak(one, two));
        Assert.False(MdnsAnswerer.LosesTieBreak(two, one));
    }

    [Fact]
    public void Canonical_data_has_no_compression()
    {
        var srv = Ad.Unique([]).First(r => r.Type == DnsType.Srv);
        var bytes = DnsWriter.CanonicalData(srv);
        Assert.Equal(6 + 1 + "devicebridge-abcdefghijklmnop".Length + 1 + "local".Length + 1, bytes.Length);
    }
}
