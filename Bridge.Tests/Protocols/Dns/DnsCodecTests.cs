using System.Net;
using Bridge.Protocols.Dns;

namespace Bridge.Tests.Protocols.Dns;

/// <summary>The worked bytes of PROTOCOLS.md §1.10, and round trips.</summary>
public sealed class DnsCodecTests
{
    private static byte[] Hex(string hex) => Convert.FromHexString(string.Concat(hex.Split((char[])[' ', '\n', '\r'], StringSplitOptions.RemoveEmptyEntries)));

    private const string QueryHex = """
        00 00 00 00 00 01 00 00 00 00 00 00
        06 5F 6D 79 68 75 62 04 5F 74 63 70 05 6C 6F 63 61 6C 00
        00 0C 80 01
        """;

    private const string ResponseHex = """
        00 00 84 00 00 00 00 01 00 00 00 03
        06 5F 6D 79 68 75 62 04 5F 74 63 70 05 6C 6F 63 61 6C 00 00 0C 00 01 00 00 11 94 00 08 05 48 75 62 2D 31 C0 0C
        C0 29 00 21 80 01 00 00 00 78 00 0E 00 00 00 00 94 C0 05 68 75 62 2D 31 C0 18
        C0 29 00 10 80 01 00 00 11 94 00 14 09 74 78 74 76 65 72 73 3D 31 09 69 64 3D 41 41 42 42 43 43
        C0 43 00 01 80 01 00 00 00 78 00 04 C0 A8 01 32
        """;

    private static readonly DnsName Service = DnsName.Parse("_myhub._tcp.local");
    private static readonly DnsName Instance = Service.Prepend("Hub-1");
    private static readonly DnsName Host = DnsName.Parse("hub-1.local");

    private static DnsMessage GoldenResponse() => DnsMessage.Response(
        [new DnsRecord(Service, DnsType.Ptr, 4500, new PtrData(Instance))],
        [
            new DnsRecord(Instance, DnsType.Srv, 120, new SrvData(0, 0, 38080, Host), CacheFlush: true),
            new DnsRecord(Instance, DnsType.Txt, 4500, TxtData.FromPairs(("txtvers", "1"), ("id", "AABBCC")), CacheFlush: true),
            new DnsRecord(Host, DnsType.A, 120, new AddressData(IPAddress.Parse("192.168.1.50")), CacheFlush: true),
        ]);

    [Fact]
    public void Writes_the_worked_QU_query()
    {
        var bytes = DnsWriter.Write(DnsMessage.Query(new DnsQuestion(Service, DnsType.Ptr, UnicastResponse: true)));
        Assert.Equal(Hex(QueryHex), bytes);
        Assert.Equal(35, bytes.Length);
    }

    [Fact]
    public void Reads_the_worked_QU_query()
    {
        Assert.True(DnsReader.TryRead(Hex(QueryHex), out var m, out var error), error);
        var q = Assert.Single(m!.Questions);
        Assert.Equal(Service, q.Name);
        Assert.Equal(DnsType.Ptr, q.Type);
        Assert.True(q.UnicastResponse);
        Assert.Equal(DnsConstants.ClassIn, q.Class);
        Assert.False(m.IsResponse);
    }

    [Fact]
    public void Writes_the_worked_response_with_the_same_compression()
    {
        var bytes = DnsWriter.Write(GoldenResponse());
        Assert.Equal(123, bytes.Length);
        Assert.Equal(Hex(ResponseHex), bytes);
    }

    [Fact]
    public void Reads_the_worked_response()
    {
        Assert.True(DnsReader.TryRead(Hex(ResponseHex), out var m, out var error), error);
        Assert.True(m!.IsResponse);
        var ptr = Assert.Single(m.Answers);
        Assert.Equal(new PtrData(Instance), ptr.Data);
        Assert.False(ptr.CacheFlush);
        Assert.Equal(4500u, ptr.Ttl);
        Assert.Equal(3, m.Additionals.Count);
        var srv = Assert.IsType<SrvData>(m.Additionals[0].Data);
        Assert.Equal((ushort)38080, srv.Port);
        Assert.Equal(Host, srv.Target);
        Assert.True(m.Additionals[0].CacheFlush);
        var txt = Assert.IsType<TxtData>(m.Additionals[1].Data).ToDictionary();
        Assert.Equal("1", txt["txtvers"]);
        Assert.Equal("AABBCC", txt["id"]);
        Assert.Equal(IPAddress.Parse("192.168.1.50"), Assert.IsType<AddressData>(m.Additionals[2].Data).Address);
        Assert.Equal(Host, m.Additionals[2].Name);
    }

    [Fact]
    public void Round_trips_every_record_type()
    {
        var message = new DnsMessage
        {
            Id = 0x1234,
            Flags = 0x8400,
            Questions = [new DnsQuestion(Host, DnsType.Any, UnicastResponse: true)],
            Answers = [new DnsRecord(Host, DnsType.Aaaa, 120, new AddressData(IPAddress.Parse("fe80::1")), true)],
            Authorities = [new DnsRecord(Instance, DnsType.Srv, 120, new SrvData(1, 2, 3, Host), true)],
            Additionals =
            [
                new DnsRecord(Instance, DnsType.Nsec, 120, new NsecData(Instance, [0, 5, 0, 0, 0x80, 0, 0x40]), true),
                new DnsRecord(Host, (DnsType)99, 10, new RawData([1, 2, 3])),
                new DnsRecord(Instance, DnsType.Txt, 4500, TxtData.FromPairs()),
            ],
        };
        Assert.True(DnsReader.TryRead(DnsWriter.Write(message), out var back, out var error), error);
        Assert.Equal(message.Id, back!.Id);
        Assert.Equal(message.Flags, back.Flags);
        Assert.Equal(message.Questions, back.Questions);
        Assert.Equal(message.Answers, back.Answers);
        Assert.Equal(message.Authorities, back.Authorities);
        Assert.Equal(message.Additionals, back.Additionals);
    }

    [Fact]
    public void Legacy_replies_leave_the_SRV_target_uncompressed()
    {
        var message = DnsMessage.Response([new DnsRecord(Host, DnsType.A, 10, new AddressData(IPAddress.Loopback)),
            new DnsRecord(Instance, DnsType.Srv, 10, new SrvData(0, 0, 1, Host))]);
        var compressed = DnsWriter.Write(message);
        var legacy = DnsWriter.Write(message, compressSrvTarget: false);
        Assert.Equal(compressed.Length + "hub-1".Length + 1 + "local".Length + 1 + 1 - 2, legacy.Length);
        Assert.True(DnsReader.TryRead(legacy, out var back, out _));
        Assert.Equal(Host, ((SrvData)back!.Answers[1].Data).Target);
    }

    [Fact]
    public void Instance_labels_may_hold_dots_and_spaces()
    {
        var name = Service.Prepend("Living room v1.2");
        var message = DnsMessage.Response([new DnsRecord(Service, DnsType.Ptr, 4500, new PtrData(name))]);
        Assert.True(DnsReader.TryRead(DnsWriter.Write(message), out var back, out _));
        Assert.Equal("Living room v1.2", ((PtrData)back!.Answers[0].Data).Target.Labels[0]);
    }

    [Fact]
    public void Names_compare_without_case()
    {
        Assert.Equal(DnsName.Parse("_HTTP._tcp.Local."), DnsName.Parse("_http._tcp.local"));
        Assert.True(Instance.EndsWith(Service));
        Assert.False(Service.EndsWith(Instance));
    }

    [Fact]
    public void TXT_keys_follow_RFC_6763()
    {
        var txt = new TxtData([ "=ignored"u8.ToArray(), "Flag"u8.ToArray(), "a=1=2"u8.ToArray(), "a=3"u8.ToArray(), "e="u8.ToArray() ]);
        var d = txt.ToDictionary();
        Assert.Null(d["flag"]);
        Assert.Equal("1=2", d["A"]);
        Assert.Equal("", d["e"]);
        Assert.Equal(3, d.Count);
    }

    [Theory]
    [InlineData("63")]
    [InlineData("64")]
    public void Labels_over_63_bytes_are_refused(string length)
    {
        var n = int.Parse(length);
        if (n <= 63) DnsName.FromLabels(new string('a', n));
        else Assert.Throws<ArgumentException>(() => DnsName.FromLabels(new string('a', n)));
    }

    [Fact]
    public void Names_over_255_bytes_are_refused_both_ways()
    {
        var label = new string('a', 63);
        Assert.Throws<ArgumentException>(() => DnsName.FromLabels(label, label, label, label));
        // On the wire: four 63-byte labels = 257 bytes.
        var packet = new List<byte>(Hex("000000000001000000000000"));
        for (var i = 0; i < 4; i++)
        {
            packet.Add(63);
            packet.AddRange(Enumerable.Repeat((byte)'a', 63));
        }
        packet.AddRange([0, 0, 1, 0, 1]);
        Assert.False(DnsReader.TryRead(packet.ToArray(), out _, out var error));
        Assert.Contains("255", error);
    }
}
