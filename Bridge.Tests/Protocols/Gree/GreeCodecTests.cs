using System.Text;
using Bridge.Protocols.Gree;
using FsCheck;
using FsCheck.Fluent;

namespace Bridge.Tests.Protocols.Gree;

/// <summary>Gree's ciphers against golden packs made with Node's own crypto (OpenSSL, not the
/// BCL), the envelope and inner messages, and hostile input.</summary>
public sealed class GreeCodecTests
{
    private const string Bind = "{\"mac\":\"f4911e7aca59\",\"t\":\"bind\",\"uid\":0}";

    [Fact]
    public void V1_and_V2_packs_match_openssl()
    {
        Assert.Equal("p/d9iCW/gQz3mAwWjNrM6sD8rbd/A3re9raG1OmHznij9mrs/0p7GUTdWxmNaBUt",
            GreeCipher.Encrypt(GreeCipherVersion.V1, GreeCipher.GenericKeyV1, Encoding.ASCII.GetBytes(Bind)).Pack);
        var (pack, tag) = GreeCipher.Encrypt(GreeCipherVersion.V2, GreeCipher.GenericKeyV2, Encoding.ASCII.GetBytes(Bind));
        Assert.Equal(("JtoT1XUt89K1ssWGayxCVswgvdoAzgWyIl52X7OFwurdNHgGiUNkepU=", "BDfOH2mmJBm0WRlvX9DAjw=="), (pack, tag));
        Assert.True(GreeCipher.TryDecrypt(GreeCipherVersion.V2, GreeCipher.GenericKeyV2, pack, tag, out var json));
        Assert.Equal(Bind, Encoding.ASCII.GetString(json));
    }

    [Fact]
    public void A_failing_gcm_tag_or_a_wrong_key_does_not_decrypt()
    {
        var (pack, tag) = GreeCipher.Encrypt(GreeCipherVersion.V2, GreeCipher.GenericKeyV2, Encoding.ASCII.GetBytes(Bind));
        var badTag = Convert.FromBase64String(tag!);
        badTag[3] ^= 1;
        Assert.False(GreeCipher.TryDecrypt(GreeCipherVersion.V2, GreeCipher.GenericKeyV2, pack, Convert.ToBase64String(badTag), out _));
        Assert.False(GreeCipher.TryDecrypt(GreeCipherVersion.V2, "0123456789abcdef", pack, tag, out _));
        Assert.False(GreeCipher.TryDecrypt(GreeCipherVersion.V2, GreeCipher.GenericKeyV2, pack, null, out _));
        Assert.False(GreeCipher.TryDecrypt(GreeCipherVersion.V1, GreeCipher.GenericKeyV1, "not base64!", null, out _));
    }

    [Fact]
    public void Envelopes_and_messages_round_trip()
    {
        var bytes = GreeEnvelope.Write(GreeCipherVersion.V1, "Abcdefgh12345678", 0, "app", "f4911e7aca59",
            GreeMessage.Cmd(["Pow", "Mod", "SetTem"], [1, 1, 24]));
        Assert.True(GreeEnvelope.TryParse(bytes, out var e, out var error), error);
        Assert.Equal(("pack", "app", "f4911e7aca59", GreeCipherVersion.V1), (e!.T, e.Cid, e.Tcid, e.Cipher));
        Assert.True(GreeCipher.TryDecrypt(e.Cipher, "Abcdefgh12345678", e.Pack!, e.Tag, out var inner));
        Assert.True(GreeMessage.TryParse(inner, out var m, out _));
        Assert.Equal(["Pow", "Mod", "SetTem"], m!.Columns);
        Assert.Equal([1, 1, 24], m.Values);

        // Firmware that answers a cmd with only "p" still confirms its values.
        Assert.True(GreeMessage.TryParse(GreeMessage.Res("f4911e7aca59", ["Pow"], [0], withVal: false), out var res, out _));
        Assert.Equal(("res", 200, 0), (res!.T, res.R, res.Values[0]));
    }

    [Theory]
    [InlineData(65, "V1.21", 25)]
    [InlineData(65, null, 25)]
    [InlineData(25, "V1.21", 25)]
    [InlineData(25, "V4.0.1", 25)]
    [InlineData(65, "V4.0.1", 65)]
    public void TemSen_carries_an_offset_of_40_except_on_V4_firmware_and_below_40(int temSen, string? ver, double room) =>
        Assert.Equal(room, GreeColumns.RoomTemperatureOf(temSen, ver));

    [Fact]
    public void Hostile_datagrams_never_throw() =>
        Prop.ForAll(Gen.OneOf(ArbMap.Default.GeneratorFor<byte[]>(),
                Gen.ListOf(Gen.Elements("{", "}", "\"t\"", ":", "\"pack\"", ",", "\"tag\"", "\"AAAA\"", "null", "[", "]", "1e999", "\"cols\"", "\"dat\""))
                    .Select(p => Encoding.UTF8.GetBytes(string.Concat(p)))).ToArbitrary(),
            bytes =>
            {
                if (GreeEnvelope.TryParse(bytes, out var e, out _) && e!.Pack is not null)
                    GreeCipher.TryDecrypt(e.Cipher, GreeCipher.GenericKeyV1, e.Pack, e.Tag, out _);
                GreeMessage.TryParse(bytes, out _, out _);
            }).QuickCheckThrowOnFailure();

    [Fact]
    public void A_flipped_bit_in_a_v2_pack_or_tag_never_decrypts() =>
        Prop.ForAll(Gen.Choose(0, int.MaxValue).ToArbitrary(), at =>
        {
            var (pack, tag) = GreeCipher.Encrypt(GreeCipherVersion.V2, GreeCipher.GenericKeyV2, Encoding.ASCII.GetBytes(Bind));
            var both = Convert.FromBase64String(pack).Concat(Convert.FromBase64String(tag!)).ToArray();
            var bit = at % (both.Length * 8);
            both[bit / 8] ^= (byte)(1 << (bit % 8));
            var p = Convert.ToBase64String(both[..^16]);
            var t = Convert.ToBase64String(both[^16..]);
            Assert.False(GreeCipher.TryDecrypt(GreeCipherVersion.V2, GreeCipher.GenericKeyV2, p, t, out _));
        }).QuickCheckThrowOnFailure();
}
