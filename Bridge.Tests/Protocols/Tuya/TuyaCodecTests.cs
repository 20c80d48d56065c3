using System.Buffers;
using System.Text;
using Bridge.Protocols.Tuya;

namespace Bridge.Tests.Protocols.Tuya;

/// <summary>The Tuya codec against golden bytes made by npm <c>tuyapi</c> 7.7.1's own MessageParser
/// and TuyaCipher (an implementation nobody here wrote), for a key with punctuation.</summary>
public sealed class TuyaCodecTests
{
    private const string Key = "k3y!With#Punct.$";
    private static readonly byte[] KeyBytes = Encoding.ASCII.GetBytes(Key);
    private static readonly byte[] Session = Convert.FromHexString("00112233445566778899aabbccddeeff");

    private const string V31Query = "000055aa000000010000000a0000007d7b2267774964223a226266313233343536373839306162636465663132222c226465764964223a226266313233343536373839306162636465663132222c2274223a2231373030303030303030222c22647073223a7b7d2c22756964223a226266313233343536373839306162636465663132227d89d8161a0000aa55";
    private const string V31Control = "000055aa0000000200000007000000b3332e31363666376632396437646439333335336f37436650714c306d63653958477033784b743947595971597a6c6c526f4a32785a62415a717a564a3532367538474a7a55595179636536584f6b726d6c745a706e72394f6b39577165456746776e31334b6766495266746674646853434a4e516a684c6c2f694d666c447778744446743248346737565649304c73345450334230576732587541696b6e6e484643716649576d6c773d3dd09b587f0000aa55";
    private const string V33Control = "000055aa000000030000000700000037332e330000000000000000000000002ba28dc05465c9ff13f9da4c715f2b9d49ca1cd0dcadb20bcf46aa15127ab744c10f05730000aa55";
    private const string V33Query = "000055aa000000040000000a0000001824494e6b2d9774d4821c0387ee5807649d98f5140000aa55";
    private const string V34Control = "000055aa000000050000000d00000074f76e68a366b0fd6b76d5e9758387a35ea0c2d1b68cbe6d9ddfdcf2a902b9a2b8d1c21e5664c6ed17192f4c9fb85efb6fe00c606b5fa4267c100ef4c32c64be7025f9ef4c016bb4b75b5e9de0bd8cf8fc16042a2cd71d7cbee56a533530b93ef70f183ab1010c168a7458500a8358b48a0000aa55";
    private const string V35Control = "000066990000000000060000000d00000062000102030405060708090a0b18fb02c4ae978f609f38299f108d41962f6fff2500de8de2e37ce07bcd29f20a0cb8e564213879c0429dbbd9f075b4949e12bec28ba8fdc1d2225cc80ad97268a082a9a4795e08b62079cec6d49cf7a67c04d442234700009966";

    private const string QueryJson = "{\"gwId\":\"bf1234567890abcdef12\",\"devId\":\"bf1234567890abcdef12\",\"t\":\"1700000000\",\"dps\":{},\"uid\":\"bf1234567890abcdef12\"}";
    private const string ControlJson31 = "{\"devId\":\"bf1234567890abcdef12\",\"gwId\":\"bf1234567890abcdef12\",\"uid\":\"\",\"t\":1700000000,\"dps\":{\"1\":true}}";

    public static TheoryData<string, TuyaVersion, uint, uint, string, bool> Goldens() => new()
    {
        { V31Query, TuyaVersion.V31, 1, TuyaCommand.DpQuery, QueryJson, false },
        { V31Control, TuyaVersion.V31, 2, TuyaCommand.Control, ControlJson31, false },
        { V33Control, TuyaVersion.V33, 3, TuyaCommand.Control, "{\"dps\":{\"1\":true}}", false },
        { V33Query, TuyaVersion.V33, 4, TuyaCommand.DpQuery, "{\"dps\":{}}", false },
        { V34Control, TuyaVersion.V34, 5, TuyaCommand.ControlNew, "{\"protocol\":5,\"t\":1700000000,\"data\":{\"dps\":{\"1\":false}}}", true },
        { V35Control, TuyaVersion.V35, 6, TuyaCommand.ControlNew, "{\"protocol\":5,\"t\":1700000000,\"data\":{\"dps\":{\"1\":true}}}", true },
    };

    [Theory]
    [MemberData(nameof(Goldens))]
    public void A_device_reads_what_tuyapi_sends(string hex, TuyaVersion version, uint seq, uint command, string json, bool session)
    {
        var codec = new TuyaCodec(version, KeyBytes) { SessionKey = session ? Session : null };
        var bytes = Convert.FromHexString(hex);
        Assert.Equal(TuyaDecodeStatus.Frame, codec.TryRead(bytes, fromDevice: false, out var m, out var consumed, out var error));
        Assert.Equal("", error);
        Assert.Equal(bytes.Length, consumed);
        Assert.Equal((seq, command, (uint?)null), (m.Sequence, m.Command, m.ReturnCode));
        Assert.Equal(json, Encoding.UTF8.GetString(m.Payload));
    }

    [Theory]
    [MemberData(nameof(Goldens))]
    public void The_bridge_writes_the_same_bytes_as_tuyapi(string hex, TuyaVersion version, uint seq, uint command, string json, bool session)
    {
        var output = new ArrayBufferWriter<byte>();
        if (version == TuyaVersion.V35)
        {
            // 3.5 draws a fresh IV per frame; with tuyapi's IV the frame is byte for byte the same.
            var plain = new byte[15 + json.Length];
            "3.5"u8.CopyTo(plain);
            Encoding.ASCII.GetBytes(json, plain.AsSpan(15));
            TuyaFrameCodec.Write6699(output, seq, command, null, plain, Session, Convert.FromHexString("000102030405060708090a0b"));
        }
        else
        {
            new TuyaCodec(version, KeyBytes) { SessionKey = session ? Session : null }.Write(output, seq, command, Encoding.ASCII.GetBytes(json), fromDevice: false);
        }
        Assert.Equal(hex, Convert.ToHexStringLower(output.WrittenSpan));
    }

    [Fact]
    public void Keys_match_tuyapi()
    {
        Assert.Equal("6c1ec8e2bb9bb59ab50b0daf649b410a", Convert.ToHexStringLower(TuyaKeys.UdpKey));
        var client = Convert.FromHexString("0123456789abcdef0123456789abcdef");
        var device = Convert.FromHexString("fedcba9876543210fedcba9876543210");
        Assert.Equal("aee9ea909548c49bfc313a74348c439c", Convert.ToHexStringLower(TuyaKeys.SessionKey(TuyaVersion.V34, KeyBytes, client, device)));
        Assert.Equal("8a4087f33f92c6b72b43a3b4dff027f8", Convert.ToHexStringLower(TuyaKeys.SessionKey(TuyaVersion.V35, KeyBytes, client, device)));
    }

    [Fact]
    public void The_handshake_proves_both_sides_hold_the_key_and_a_wrong_key_is_told_apart()
    {
        var client = TuyaKeys.NewNonce();
        var device = TuyaKeys.NewNonce();
        var response = TuyaKeys.HandshakeResponse(KeyBytes, client, device);
        Assert.True(TuyaKeys.TryReadHandshakeResponse(KeyBytes, client, response, out var readNonce));
        Assert.Equal(device, readNonce);
        Assert.True(TuyaKeys.CheckFinish(KeyBytes, device, TuyaKeys.HandshakeFinish(KeyBytes, device)));
        var other = Encoding.ASCII.GetBytes("0123456789abcdef");
        Assert.False(TuyaKeys.TryReadHandshakeResponse(other, client, response, out _));
        Assert.False(TuyaKeys.CheckFinish(other, device, TuyaKeys.HandshakeFinish(KeyBytes, device)));
    }

    [Theory]
    [InlineData("k3y!With#Punct.$", true)]
    [InlineData("0123456789abcdef", true)]
    [InlineData("short", false)]
    [InlineData("0123456789abcdef0", false)]
    [InlineData("0123456789abcde ", false)]
    [InlineData("0123456789abcdé", false)]
    [InlineData("", false)]
    public void Local_keys_are_16_printable_characters_punctuation_included(string key, bool ok)
    {
        var parsed = TuyaKeys.TryParseLocalKey(key, out var error);
        Assert.Equal(ok, parsed is not null);
        Assert.Equal(ok, error == "");
        Assert.DoesNotContain(key.Length > 0 ? key : "\u0001", error);
    }

    [Theory]
    [InlineData(TuyaVersion.V31)]
    [InlineData(TuyaVersion.V33)]
    [InlineData(TuyaVersion.V34)]
    [InlineData(TuyaVersion.V35)]
    public void Broadcasts_of_every_version_are_read(TuyaVersion version)
    {
        var sent = new TuyaAnnouncement("bf0123456789abcdef01", "127.0.0.7", "keyabc123", version);
        Assert.True(TuyaDiscovery.TryParse(TuyaDiscovery.Write(sent), out var read, out var error), error);
        Assert.Equal(sent, read);
    }

    [Fact]
    public void The_stubs_plaintext_broadcast_without_version_is_a_31_device()
    {
        // @tuyapi/stub broadcasts encode({devId,gwId,ip}, DP_QUERY) with no return code and no version.
        var output = new ArrayBufferWriter<byte>();
        TuyaFrameCodec.Write55AA(output, 0, TuyaCommand.DpQuery, null, "{\"devId\":\"abc123\",\"gwId\":\"abc123\",\"ip\":\"127.0.0.1\"}"u8, []);
        Assert.True(TuyaDiscovery.TryParse(output.WrittenSpan, out var read, out var error), error);
        Assert.Equal(new TuyaAnnouncement("abc123", "127.0.0.1", null, TuyaVersion.V31), read);
    }

    [Fact]
    public void A_device_info_request_is_recognised_and_nothing_else_is()
    {
        Assert.True(TuyaDiscovery.IsDeviceInfoRequest(TuyaDiscovery.WriteDeviceInfoRequest(System.Net.IPAddress.Loopback)));
        Assert.False(TuyaDiscovery.IsDeviceInfoRequest("{\"t\":\"scan\"}"u8));
        Assert.False(TuyaDiscovery.IsDeviceInfoRequest(TuyaDiscovery.Write(new TuyaAnnouncement("a1", "127.0.0.1", null, TuyaVersion.V35))));
    }

    [Fact]
    public void Reports_are_read_from_every_payload_shape()
    {
        Assert.True(TuyaJson.TryReadReport("{\"protocol\":4,\"t\":17,\"data\":{\"dps\":{\"1\":true,\"2\":240,\"4\":\"cold\"}}}"u8, out var a, out _));
        Assert.Equal(3, a!.Dps.Count);
        Assert.Equal(TuyaDpValue.Of(240), a.Dps["2"]);
        Assert.Equal(TuyaDpValue.Of("cold"), a.Dps["4"]);
        Assert.Equal(17, a.Time);
        Assert.True(TuyaJson.TryReadReport("{\"devId\":\"x1\",\"dps\":{\"1\":false}}\0\0"u8, out var b, out _));
        Assert.Equal(("x1", TuyaDpValue.Of(false)), (b!.DeviceId, b.Dps["1"]));
        Assert.False(TuyaJson.TryReadReport("json obj data unvalid"u8, out _, out var error));
        Assert.NotEmpty(error);
    }
}
