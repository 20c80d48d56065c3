using System.Buffers;
using System.Text;
using Bridge.Protocols.Miio;
using FsCheck;
using FsCheck.Fluent;

namespace Bridge.Tests.Protocols.Miio;

/// <summary>The miIO packet codec against a golden packet built by Debian's python3-miio 0.5.0.1
/// (<c>miio.protocol.Message.build</c>), and hostile datagrams.</summary>
public sealed class MiioCodecTests
{
    private static readonly byte[] Token = Convert.FromHexString("00112233445566778899aabbccddeeff");

    // Message.build({"id":1,"method":"miIO.info","params":[]}, device_id 0x12345678, stamp 0x5f000000)
    private const string Golden = "2131005000000000123456785f0000001a4a5f0536d963f94a9f1134f500a2a32a36b2b7afa85bd6a9f1ed82b485a3d6c2c13a12855c97fc9a0bd7be55469c61b5393611ac2c922588d969ad8c226bde";
    private const string GoldenJson = "{\"id\": 1, \"method\": \"miIO.info\", \"params\": []}\0";

    [Fact]
    public void Reads_and_writes_the_packet_python_miio_builds()
    {
        Assert.Equal(MiioDecodeStatus.Packet, MiioPacketCodec.TryRead(Convert.FromHexString(Golden), Token, out var p, out var error));
        Assert.Equal("", error);
        Assert.Equal((0x12345678u, 0x5f000000u), (p.DeviceId, p.Stamp));
        Assert.Equal(GoldenJson, Encoding.UTF8.GetString(p.Body));
        Assert.True(MiioJson.TryReadRequest(p.Body, out var id, out var method, out _, out error), error);
        Assert.Equal((1L, "miIO.info"), (id, method));

        var output = new ArrayBufferWriter<byte>();
        MiioPacketCodec.Write(output, Token, 0x12345678, 0x5f000000, Encoding.UTF8.GetBytes(GoldenJson));
        Assert.Equal(Golden, Convert.ToHexStringLower(output.WrittenSpan));
    }

    [Fact]
    public void Hello_is_the_documented_32_bytes_and_its_answer_carries_id_and_stamp()
    {
        Assert.Equal("21310020" + string.Concat(Enumerable.Repeat("ff", 28)), Convert.ToHexStringLower(MiioPacketCodec.Hello()));
        Assert.Equal(MiioDecodeStatus.Hello, MiioPacketCodec.TryRead(MiioPacketCodec.HelloAnswer(4242, 99), [], out var p, out _));
        Assert.Equal((4242u, 99u), (p.DeviceId, p.Stamp));
    }

    [Theory]
    [InlineData("00112233445566778899aabbccddeeff", true)]
    [InlineData("00112233445566778899AABBCCDDEEFF", true)]
    [InlineData("00112233445566778899aabbccddee", false)]
    [InlineData("00112233445566778899aabbccddeefg", false)]
    [InlineData("", false)]
    public void Tokens_are_32_hex_digits(string token, bool ok)
    {
        Assert.Equal(ok, MiioPacketCodec.TryParseToken(token, out var error) is not null);
        if (!ok) Assert.DoesNotContain(token.Length > 0 ? token : "\u0001", error);
    }

    [Fact]
    public void Replies_with_a_trailing_nul_and_a_stray_comma_are_read()
    {
        Assert.True(MiioJson.TryReadReply("{\"id\":7,\"result\":[{\"did\":\"1\",\"siid\":2,\"piid\":1,\"code\":0,\"value\":true},]}\0"u8, out var r, out var error), error);
        var props = MiioJson.Properties(r!.Result);
        Assert.Equal((2, 1, 0, true), (props[0].Siid, props[0].Piid, props[0].Code, props[0].Value!.Value.GetBoolean()));
        Assert.True(MiioJson.TryReadReply("{\"id\":8,\"error\":{\"code\":-5001,\"message\":\"invalid arg\"}}"u8, out r, out _));
        Assert.Equal((8L, -5001), (r!.Id, r.ErrorCode));
    }

    [Fact]
    public void A_wrong_token_or_a_flipped_bit_never_reads() =>
        Prop.ForAll(Gen.Choose(0, int.MaxValue).ToArbitrary(), at =>
        {
            var bytes = Convert.FromHexString(Golden);
            Assert.Equal(MiioDecodeStatus.Invalid, MiioPacketCodec.TryRead(bytes, Convert.FromHexString("ffeeddccbbaa99887766554433221100"), out _, out _));
            var bit = at % (bytes.Length * 8);
            bytes[bit / 8] ^= (byte)(1 << (bit % 8));
            Assert.Equal(MiioDecodeStatus.Invalid, MiioPacketCodec.TryRead(bytes, Token, out _, out var error));
            Assert.NotEmpty(error);
        }).QuickCheckThrowOnFailure();

    [Fact]
    public void Random_datagrams_and_bodies_never_throw() =>
        Prop.ForAll(ArbMap.Default.GeneratorFor<byte[]>().ToArbitrary(), bytes =>
        {
            MiioPacketCodec.TryRead(bytes, Token, out _, out _);
            var framed = bytes.Length >= 32 ? bytes : [.. new byte[] { 0x21, 0x31 }, .. new byte[30], .. bytes];
            framed[2] = (byte)(framed.Length >> 8);
            framed[3] = (byte)framed.Length;
            MiioPacketCodec.TryRead(framed, Token, out _, out _);
            MiioJson.TryReadReply(bytes, out _, out _);
            MiioJson.TryReadRequest(bytes, out _, out _, out _, out _);
        }).QuickCheckThrowOnFailure();
}
