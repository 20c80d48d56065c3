using System.Net;
using Bridge.Protocols.Dns;
using Bridge.Service.Discovery;
using Microsoft.Extensions.Time.Testing;

namespace Bridge.Tests.Service.Discovery;

/// <summary>Known-answer lists over several packets (RFC 6762 §7.2), as the responder answers them, on a
/// fake clock: a TC query waits for its continuation or 400–500 ms, and what the continuation lists is
/// not answered.</summary>
public sealed class MdnsKnownAnswerAssemblerTests : IDisposable
{
    private static readonly BridgeAdvertisement Ad = new("abcdefghijklmnop", 8970);
    private static readonly IReadOnlyList<DnsRecord> Own = Ad.Records([IPAddress.Parse("192.168.1.20")]);
    private static readonly LanInterface Lan = new(2, "eth0", [IPAddress.Parse("192.168.1.20")], Multicast: true, Loopback: false);
    private static readonly IPEndPoint Querier = new(IPAddress.Parse("192.168.1.50"), 5353);
    private static readonly DnsRecord OurPtr = Own.Single(r => r.Type == DnsType.Ptr && r.Name == BridgeAdvertisement.ServiceType);

    private readonly FakeTimeProvider _time = new();
    private readonly List<MdnsReply?> _replies = [];
    private readonly MdnsKnownAnswerAssembler _assembler;

    public MdnsKnownAnswerAssemblerTests() =>
        // What the responder does with a complete query: answer it from its own records.
        _assembler = new MdnsKnownAnswerAssembler(_time, q => _replies.Add(MdnsAnswerer.Answer(q.Message, Own)));

    public void Dispose() => _assembler.Dispose();

    private static DnsRecord OtherPtr(int i) =>
        new(BridgeAdvertisement.ServiceType, DnsType.Ptr, 4500, new PtrData(BridgeAdvertisement.ServiceType.Prepend($"Other-{i}")));

    private static MdnsReceived From(IPEndPoint from, DnsMessage m) => new(m, from, Lan);

    private static DnsMessage BrowseWithTc(params DnsRecord[] known) => new()
    {
        Flags = DnsConstants.FlagTruncated,
        Questions = [new DnsQuestion(BridgeAdvertisement.ServiceType, DnsType.Ptr)],
        Answers = known,
    };

    private static DnsMessage Continuation(bool truncated, params DnsRecord[] known) =>
        new() { Flags = truncated ? DnsConstants.FlagTruncated : (ushort)0, Answers = known };

    [Fact]
    public void A_query_without_TC_is_answered_at_once()
    {
        _assembler.Receive(From(Querier, DnsMessage.Query(new DnsQuestion(BridgeAdvertisement.ServiceType, DnsType.Ptr))));
        Assert.Equal(OurPtr, Assert.Single(Assert.Single(_replies)!.Answers));
    }

    [Fact]
    public void A_TC_query_is_not_answered_until_its_last_continuation_whose_known_answers_suppress()
    {
        _assembler.Receive(From(Querier, BrowseWithTc(OtherPtr(1), OtherPtr(2))));
        _time.Advance(TimeSpan.FromMilliseconds(100));
        _assembler.Receive(From(Querier, Continuation(truncated: true, OtherPtr(3))));
        Assert.Empty(_replies);

        _time.Advance(TimeSpan.FromMilliseconds(100));
        _assembler.Receive(From(Querier, Continuation(truncated: false, OurPtr)));

        // The querier already knows our PTR, listed only in its last packet: nothing to say.
        Assert.Null(Assert.Single(_replies));
        _time.Advance(TimeSpan.FromSeconds(1));
        Assert.Single(_replies); // the timer does not answer a second time
    }

    [Fact]
    public void A_TC_query_whose_continuation_never_comes_is_answered_after_400_to_500_ms()
    {
        _assembler.Receive(From(Querier, BrowseWithTc(OtherPtr(1))));
        _time.Advance(TimeSpan.FromMilliseconds(399));
        Assert.Empty(_replies);
        _time.Advance(TimeSpan.FromMilliseconds(101));
        Assert.Equal(OurPtr, Assert.Single(Assert.Single(_replies)!.Answers));
    }

    [Fact]
    public void Continuations_count_only_for_the_query_from_the_same_source()
    {
        _assembler.Receive(From(Querier, BrowseWithTc(OtherPtr(1))));
        _assembler.Receive(From(new IPEndPoint(IPAddress.Parse("192.168.1.51"), 5353), Continuation(truncated: false, OurPtr)));
        Assert.Empty(_replies);
        _time.Advance(TimeSpan.FromMilliseconds(500));
        Assert.Equal(OurPtr, Assert.Single(Assert.Single(_replies)!.Answers));
    }

    [Fact]
    public void A_new_query_from_the_same_source_completes_the_held_one()
    {
        _assembler.Receive(From(Querier, BrowseWithTc(OtherPtr(1))));
        _assembler.Receive(From(Querier, DnsMessage.Query(new DnsQuestion(Ad.Instance, DnsType.Srv))));
        Assert.Equal([DnsType.Ptr, DnsType.Srv], _replies.Select(r => r!.Answers[0].Type));
    }
}
