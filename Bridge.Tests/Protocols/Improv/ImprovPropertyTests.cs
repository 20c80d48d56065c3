using System.Text;
using Bridge.Protocols.Improv;
using FsCheck;
using FsCheck.Fluent;

namespace Bridge.Tests.Protocols.Improv;

/// <summary>Whatever arrives on the serial line, the Improv decoder neither throws nor loses a
/// good packet: random bytes, log lines, cut packets and wrong checksums, split into reads at
/// random places.</summary>
public sealed class ImprovPropertyTests
{
    private static Gen<ImprovPacket> Packets() =>
        from type in Gen.Elements(ImprovPacketType.CurrentState, ImprovPacketType.ErrorState, ImprovPacketType.Rpc, ImprovPacketType.RpcResult)
        from data in Gen.ArrayOf(ArbMap.Default.GeneratorFor<byte>()).Where(d => d.Length <= ImprovLimits.MaxData)
        select new ImprovPacket(type, data);

    /// <summary>Text a firmware prints between packets: never the packet magic itself.</summary>
    private static Gen<byte[]> LogLines() =>
        Gen.Elements("", "[D][wifi:321]: scanning\r\n", "IMPRO", "I", "IMP\n", "\n", "IMPROX", "ets Jul 29 2019 12:21:46\r\n\0\xff")
            .Select(Encoding.Latin1.GetBytes);

    /// <summary>The start of a real packet, cut off before its end (a reset, a dropped byte).</summary>
    private static Gen<byte[]> CutPacket() =>
        from p in Packets()
        let bytes = ImprovFrame.ToArray(p.Type, p.Data)
        from n in Gen.Choose(1, bytes.Length - 2)
        select bytes[..n];

    /// <summary>Splits a byte stream into reads of random sizes.</summary>
    private static Gen<List<byte[]>> Chunked(byte[] stream) =>
        Gen.ListOf(Gen.Choose(1, 64)).Select(sizes =>
        {
            var chunks = new List<byte[]>();
            var at = 0;
            foreach (var size in sizes.Concat(Enumerable.Repeat(64, stream.Length)))
            {
                if (at >= stream.Length) break;
                var n = Math.Min(size, stream.Length - at);
                chunks.Add(stream[at..(at + n)]);
                at += n;
            }
            return chunks;
        });

    private static List<ImprovPacket> Decode(IEnumerable<byte[]> chunks)
    {
        var decoder = new ImprovStreamDecoder();
        var packets = new List<ImprovPacket>();
        foreach (var chunk in chunks) decoder.Feed(chunk, packets);
        return packets;
    }

    [Fact]
    public void Random_bytes_never_throw()
    {
        var gen = from bytes in ArbMap.Default.GeneratorFor<byte[]>()
                  from withMagic in Gen.Elements(bytes, [.. "IMPROV\x01"u8, .. bytes], [.. bytes, .. "IMPROV\x01\x01"u8, .. bytes])
                  from chunks in Chunked(withMagic)
                  select chunks;
        Prop.ForAll(gen.ToArbitrary(), chunks => { Decode(chunks); }).QuickCheckThrowOnFailure();
    }

    [Fact]
    public void Good_packets_between_log_lines_come_out_whole_and_in_order()
    {
        var gen = from items in Gen.ListOf(Gen.Zip(LogLines(), Packets()))
                  let stream = items.SelectMany(i => i.Item1.Concat(ImprovFrame.ToArray(i.Item2.Type, i.Item2.Data))).ToArray()
                  from chunks in Chunked(stream)
                  select (Sent: items.Select(i => i.Item2).ToList(), Chunks: chunks);
        Prop.ForAll(gen.ToArbitrary(), c =>
        {
            var got = Decode(c.Chunks);
            return got.Count == c.Sent.Count && got.Zip(c.Sent).All(p => p.First.Type == p.Second.Type && p.First.Data.SequenceEqual(p.Second.Data));
        }).QuickCheckThrowOnFailure();
    }

    [Fact]
    public void A_packet_after_a_cut_or_corrupted_one_is_still_read()
    {
        var gen = from junk in Gen.ListOf(Gen.OneOf(CutPacket(), LogLines(), Packets().Select(p =>
                  {
                      var bytes = ImprovFrame.ToArray(p.Type, p.Data, newline: false);
                      bytes[^1] ^= 0x01; // wrong checksum
                      return bytes;
                  })))
                  from good in Packets()
                  let stream = junk.SelectMany(j => j).Concat(ImprovFrame.ToArray(good.Type, good.Data)).ToArray()
                  from chunks in Chunked(stream)
                  select (Good: good, Chunks: chunks);
        Prop.ForAll(gen.ToArbitrary(), c =>
        {
            var got = Decode(c.Chunks);
            return got.Count >= 1 && got[^1].Type == c.Good.Type && got[^1].Data.SequenceEqual(c.Good.Data);
        }).QuickCheckThrowOnFailure();
    }

    [Fact]
    public void Result_parser_never_throws_and_reads_what_was_written()
    {
        Prop.ForAll(ArbMap.Default.GeneratorFor<byte[]>().ToArbitrary(), bytes =>
        {
            ImprovRpc.TryParseResult(bytes, out _, out _);
            ImprovRpc.TryParseCommand(bytes, out _, out _);
            ImprovRpc.TryParseWifiSettings(bytes, out _, out _);
        }).QuickCheckThrowOnFailure();

        var strings = Gen.ListOf(ArbMap.Default.GeneratorFor<string>().Where(s => s is not null && s.Length < 20 && !s.Any(char.IsSurrogate)))
            .Where(l => l.Count < 8);
        Prop.ForAll(strings.ToArbitrary(), list =>
        {
            var w = new System.Buffers.ArrayBufferWriter<byte>();
            ImprovRpc.WriteResult(w, ImprovCommand.RequestDeviceInfo, list.ToArray());
            var packets = new List<ImprovPacket>();
            new ImprovStreamDecoder().Feed(w.WrittenSpan, packets);
            return ImprovRpc.TryParseResult(packets.Single().Data, out var command, out var back)
                   && command == ImprovCommand.RequestDeviceInfo && back.SequenceEqual(list);
        }).QuickCheckThrowOnFailure();
    }
}
