using System.Diagnostics;
using System.Net;
using Bridge.Protocols.Dns;
using FsCheck;
using FsCheck.Fluent;

namespace Bridge.Tests.Protocols.Dns;

/// <summary>Random, truncated, mutated and malicious packets: the reader never throws, never
/// hangs, and allocates in proportion to the packet.</summary>
public sealed class DnsFuzzTests
{
    private static readonly byte[] Golden = DnsWriter.Write(new DnsMessage
    {
        Flags = 0x8400,
        Questions = [new DnsQuestion(DnsName.Parse("_shelly._tcp.local"), DnsType.Ptr, UnicastResponse: true)],
        Answers = [new DnsRecord(DnsName.Parse("_shelly._tcp.local"), DnsType.Ptr, 4500, new PtrData(DnsName.Parse("plug._shelly._tcp.local")))],
        Additionals =
        [
            new DnsRecord(DnsName.Parse("plug._shelly._tcp.local"), DnsType.Srv, 120, new SrvData(0, 0, 80, DnsName.Parse("plug.local")), true),
            new DnsRecord(DnsName.Parse("plug._shelly._tcp.local"), DnsType.Txt, 4500, TxtData.FromPairs(("gen", "2")), true),
            new DnsRecord(DnsName.Parse("plug.local"), DnsType.A, 120, new AddressData(IPAddress.Parse("10.0.0.9")), true),
            new DnsRecord(DnsName.Parse("plug.local"), DnsType.Nsec, 120, new NsecData(DnsName.Parse("plug.local"), [0, 4, 0x40, 0, 0, 8]), true),
        ],
    });

    private static void ReadSafely(byte[] packet)
    {
        var before = GC.GetAllocatedBytesForCurrentThread();
        var clock = Stopwatch.StartNew();
        DnsReader.TryRead(packet, out _, out _);
        Assert.True(clock.ElapsedMilliseconds < 1000, $"reading {packet.Length} bytes took {clock.ElapsedMilliseconds} ms");
        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        // Each byte can at most start a name that decompresses to 255 bytes (UTF-16 and
        // objects around it); anything beyond that would be unbounded growth.
        Assert.True(allocated < 64 * 1024 + packet.Length * 4096L, $"{allocated} bytes allocated for a {packet.Length}-byte packet");
    }

    [Fact]
    public void Random_bytes_never_throw() =>
        Prop.ForAll(ArbMap.Default.GeneratorFor<byte[]>().ToArbitrary(), ReadSafely).QuickCheckThrowOnFailure();

    [Fact]
    public void Random_bytes_after_a_plausible_header_never_throw() =>
        Prop.ForAll(ArbMap.Default.GeneratorFor<byte[]>().ToArbitrary(), ArbMap.Default.GeneratorFor<byte>().ToArbitrary(), (tail, count) =>
            ReadSafely([0, 0, 0x84, 0, 0, count, 0, (byte)(count / 2), 0, 0, 0, 1, .. tail])).QuickCheckThrowOnFailure();

    [Fact]
    public void Every_truncation_of_a_real_packet_is_refused_not_thrown()
    {
        for (var n = 0; n < Golden.Length; n++)
        {
            ReadSafely(Golden[..n]);
            Assert.False(DnsReader.TryRead(Golden[..n], out _, out var error));
            Assert.False(string.IsNullOrEmpty(error));
        }
        Assert.True(DnsReader.TryRead(Golden, out _, out _));
    }

    [Fact]
    public void Mutations_of_a_real_packet_never_throw() =>
        Prop.ForAll(Gen.Choose(0, Golden.Length - 1).ArrayOf().ToArbitrary(), ArbMap.Default.GeneratorFor<byte[]>().ToArbitrary(), (positions, values) =>
        {
            var packet = (byte[])Golden.Clone();
            for (var i = 0; i < positions.Length && i < values.Length; i++) packet[positions[i]] = values[i];
            ReadSafely(packet);
        }).QuickCheckThrowOnFailure();

    [Fact]
    public void A_pointer_to_itself_is_refused()
    {
        byte[] packet = [0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0xC0, 12, 0, 1, 0, 1];
        Assert.False(DnsReader.TryRead(packet, out _, out var error));
        Assert.Contains("backwards", error);
    }

    [Fact]
    public void A_pointer_loop_is_refused()
    {
        // Name at 12: label "a" then a pointer to 12 again (a loop via a label).
        byte[] packet = [0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 1, (byte)'a', 0xC0, 12, 0, 1, 0, 1];
        Assert.False(DnsReader.TryRead(packet, out _, out _));
        // Two pointers to each other, the second reached from the question.
        byte[] pair = [0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0xC0, 14, 0xC0, 12, 0, 1, 0, 1];
        Assert.False(DnsReader.TryRead(pair, out _, out _));
    }

    [Fact]
    public void A_long_backwards_pointer_chain_ends()
    {
        // 2000 pointers each to the one before: legal-looking, but the name stays bounded.
        var packet = new List<byte> { 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 1, (byte)'x', 0 };
        for (var i = 0; i < 2000; i++)
        {
            var target = packet.Count - (i == 0 ? 3 : 2);
            packet.Add((byte)(0xC0 | (target >> 8)));
            packet.Add((byte)target);
        }
        var last = packet.Count - 2;
        packet[4] = 0; packet[5] = 1;
        packet.AddRange([(byte)(0xC0 | (last >> 8)), (byte)last, 0, 1, 0, 1]);
        // The question starts at 12 with "x" — only the first name is the question; the rest is
        // garbage after it, so also try the chain as the question itself.
        ReadSafely(packet.ToArray());
        var chain = packet.ToArray();
        chain[12] = 0xC0; chain[13] = 12;
        ReadSafely(chain);
    }

    [Fact]
    public void Counts_larger_than_the_packet_are_refused_before_allocating()
    {
        byte[] packet = [0, 0, 0x84, 0, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0];
        var before = GC.GetAllocatedBytesForCurrentThread();
        Assert.False(DnsReader.TryRead(packet, out _, out var error));
        Assert.True(GC.GetAllocatedBytesForCurrentThread() - before < 4096);
        Assert.Contains("cannot fit", error);
    }

    [Fact]
    public void Extended_label_types_are_refused()
    {
        byte[] packet = [0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0x41, 0, 0, 1, 0, 1];
        Assert.False(DnsReader.TryRead(packet, out _, out var error));
        Assert.Contains("label type", error);
    }

    [Fact]
    public void Record_data_longer_than_the_packet_is_refused()
    {
        byte[] packet = [0, 0, 0x84, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 1, 0, 1, 0, 0, 0, 1, 0xFF, 0xFF, 1, 2, 3, 4];
        Assert.False(DnsReader.TryRead(packet, out _, out var error));
        Assert.Contains("past the end", error);
    }

    [Fact]
    public void Random_messages_round_trip() =>
        Prop.ForAll(RandomMessages().ToArbitrary(), message =>
        {
            Assert.True(DnsReader.TryRead(DnsWriter.Write(message), out var back, out var error), error);
            Assert.Equal(message.Answers, back!.Answers);
            Assert.Equal(message.Questions, back.Questions);
        }).QuickCheckThrowOnFailure();

    private static Gen<DnsMessage> RandomMessages()
    {
        var label = Gen.Elements("local", "_tcp", "_http", "Hub", "hub-1", "a b.c", "x", "Ω", new string('z', 63));
        // Four 63-byte labels would make a 257-byte name, which DnsName rightly refuses: keep names legal.
        var name = Gen.Choose(0, 4).SelectMany(n => label.ArrayOf(n))
            .Where(ls => ls.Sum(l => System.Text.Encoding.UTF8.GetByteCount(l) + 1) + 1 <= 255)
            .Select(DnsName.FromLabels);
        var data = Gen.OneOf(
            name.Select(n => (DnsType.Ptr, (DnsRecordData)new PtrData(n))),
            name.Select(n => (DnsType.Srv, (DnsRecordData)new SrvData(1, 2, 8970, n))),
            Gen.Elements("10.1.2.3", "0.0.0.0").Select(a => (DnsType.A, (DnsRecordData)new AddressData(IPAddress.Parse(a)))),
            Gen.Constant((DnsType.Txt, (DnsRecordData)TxtData.FromPairs(("id", "abc"), ("v", "1")))));
        var record = name.SelectMany(n => data.SelectMany(d => ArbMap.Default.GeneratorFor<bool>().Select(flush =>
            new DnsRecord(n, d.Item1, 120, d.Item2, flush))));
        var question = name.Select(n => new DnsQuestion(n, DnsType.Any, UnicastResponse: true));
        return Gen.Choose(0, 3).SelectMany(qn => question.ArrayOf(qn)).SelectMany(qs =>
            Gen.Choose(0, 6).SelectMany(rn => record.ArrayOf(rn)).Select(rs => new DnsMessage { Questions = qs, Answers = rs }));
    }
}
