using Bridge.Service.Drivers.Shelly;
using Bridge.Protocols.Dns;
using Bridge.Service.Discovery;

namespace Bridge.Tests.Service.Discovery;

/// <summary>The querier's known-answer list over several packets (RFC 6762 §7.2).</summary>
public sealed class MdnsQueryPacketsTests
{
    private static readonly DnsName Type = ShellyMdnsMatcher.ServiceType;
    /// <summary>An Ethernet interface's limit: MTU 1500 less IPv4 and UDP headers.</summary>
    private static readonly int Limit = new LanInterface(2, "eth0", [], Multicast: true, Loopback: false).MdnsMessageLimit;

    private static DnsMessage Browse(int knownAnswers) => new()
    {
        Questions = [new DnsQuestion(Type, DnsType.Ptr)],
        Answers = Enumerable.Range(0, knownAnswers)
            .Select(i => new DnsRecord(Type, DnsType.Ptr, 4500, new PtrData(Type.Prepend($"shellyplus1-a8032ab1{i:x4}")))).ToArray(),
    };

    [Fact]
    public void The_limit_is_the_MTU_less_IP_and_UDP_headers_and_never_over_9000_bytes()
    {
        Assert.Equal(1472, Limit);
        Assert.Equal(8972, new LanInterface(1, "lo", [], Multicast: true, Loopback: true) { Mtu = 65536 }.MdnsMessageLimit);
    }

    [Fact]
    public void A_query_that_fits_goes_out_as_it_is()
    {
        var query = Browse(10);
        Assert.Same(query, Assert.Single(MdnsQueryPackets.Split(query, Limit)));
    }

    [Fact]
    public void Many_known_answers_go_out_over_several_packets_TC_on_all_but_the_last_each_within_the_limit()
    {
        var query = Browse(300);
        var packets = MdnsQueryPackets.Split(query, Limit);

        Assert.True(packets.Count >= 3, $"{packets.Count} packets");
        Assert.All(packets, p => Assert.InRange(DnsWriter.Write(p).Length, DnsConstants.HeaderLength, Limit));
        Assert.All(packets.SkipLast(1), p => Assert.True(p.IsTruncated));
        Assert.False(packets[^1].IsTruncated);
        Assert.Equal(query.Questions, packets[0].Questions);
        Assert.All(packets.Skip(1), p => Assert.Empty(p.Questions));
        Assert.Equal(query.Answers, packets.SelectMany(p => p.Answers));
        // Packets are filled, not one answer each: all but the last leave less room than another record needs.
        Assert.All(packets.SkipLast(1), p => Assert.True(DnsWriter.Write(p).Length > Limit - 60));
    }

    [Fact]
    public void The_packets_read_back_as_what_was_sent()
    {
        foreach (var packet in MdnsQueryPackets.Split(Browse(300), Limit))
        {
            Assert.True(DnsReader.TryRead(DnsWriter.Write(packet), out var read, out _));
            Assert.Equal(packet.Answers, read!.Answers);
            Assert.Equal(packet.IsTruncated, read.IsTruncated);
        }
    }
}
