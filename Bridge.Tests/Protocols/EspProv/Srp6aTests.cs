using System.Numerics;
using System.Security.Cryptography;
using Bridge.Protocols.EspProv;

namespace Bridge.Tests.Protocols.EspProv;

/// <summary>SRP-6a with the group and hash as parameters: RFC 5054 Appendix B's vectors (SHA-1,
/// 1024-bit group), and ESP-IDF's variant (SHA-512, 3072-bit group) against values computed with
/// Python's hashlib from the protocol digest's formulas (an implementation nobody here wrote).</summary>
public sealed class Srp6aTests
{
    private static readonly byte[] Salt = Convert.FromHexString("BEB25379D1A8581EB5A727673A2441EE");
    private static readonly BigInteger SecretA = Hex("60975527035CF2AD1989806F0407210BC81EDC04E2762A56AFD529DDDA2D4393");
    private static readonly BigInteger SecretB = Hex("E487CB59D31AC550471E81F00F6928E01DDA08E974A004F49E61F5D105284D20");
    private readonly Srp6a _rfc = new(SrpGroup.Rfc5054Bits1024, HashAlgorithmName.SHA1);

    [Fact]
    public void Rfc5054_appendix_b_vectors()
    {
        Assert.Equal(Hex("7556AA045AEF2CDD07ABAF0F665C3E818913186F"), _rfc.K);
        var x = _rfc.X(Salt, "alice", "password123");
        Assert.Equal(Hex("94B7555AABE9127CC58CCF4993DB6CF84D16C124"), x);
        var v = _rfc.Verifier(Salt, "alice", "password123");
        Assert.Equal(Hex("7E273DE8696FFC4F4E337D05B4B375BEB0DDE1569E8FA00A9886D8129BADA1F1822223CA1A605B530E379BA4729FDC59F105B4787E5186F5C671085A1447B52A48CF1970B4FB6F8400BBF4CEBFBB168152E08AB5EA53D15C1AFF87B2B9DA6E04E058AD51CC72BFC9033B564E26480D78E955A5E29E7AB245DB2BE315E2099AFB"), v);
        var a = _rfc.ClientPublic(SecretA);
        Assert.Equal(Hex("61D5E490F6F1B79547B0704C436F523DD0E560F0C64115BB72557EC44352E8903211C04692272D8B2D1A5358A2CF1B6E0BFCF99F921530EC8E39356179EAE45E42BA92AEACED825171E1E8B9AF6D9C03E1327F44BE087EF06530E69F66615261EEF54073CA11CF5858F0EDFDFE15EFEAB349EF5D76988A3672FAC47B0769447B"), a);
        var b = _rfc.DevicePublic(SecretB, v);
        Assert.Equal(Hex("BD0C61512C692C0CB6D041FA01BB152D4916A1E77AF46AE105393011BAF38964DC46A0670DD125B95A981652236F99D9B681CBF87837EC996C6DA04453728610D0C6DDB58B318885D7D82C7F8DEB75CE7BD4FBAA37089E6F9C6059F388838E7A00030B331EB76840910440B1B27AAEAEEB4012B7D7665238A8E3FB004B117B58"), b);
        var u = _rfc.U(a, b);
        Assert.Equal(Hex("CE38B9593487DA98554ED47D70A7AE5F462EF019"), u);
        var premaster = Hex("B0DC82BABCF30674AE450C0287745E7990A3381F63B387AAF271A10D233861E359B48220F7C4693C9AE12B0A6F67809F0876E2D013800D6C41BB59B6D5979B5C00A172B4A2A5903A0BDCAF8A709585EB2AFAFA8F3499B200210DCC1F10EB33943CD67FC88A2F39A4BE5BEC4EC0A3212DC346D7E474B29EDE8A469FFECA686E5A");
        Assert.Equal(premaster, _rfc.ClientSecret(b, x, SecretA, u));
        Assert.Equal(premaster, _rfc.DeviceSecret(a, v, u, SecretB));
        // K = H(S), as the secure-remote-password "srptools" vectors have it.
        Assert.Equal("017EEFA1CEFC5C2E626E21598987F31E0F1B11BB", Convert.ToHexString(_rfc.SessionKey(premaster)));
    }

    [Fact]
    public void Esp_idf_variant_matches_an_independent_computation()
    {
        var srp = Srp6a.EspIdf;
        var salt = Convert.FromHexString("0123456789abcdeffedcba9876543210");
        var v = srp.Verifier(salt, "wifiprov", "abcd1234");
        var a = srp.ClientPublic(SecretA);
        var b = srp.DevicePublic(SecretB, v);
        var u = srp.U(a, b);
        var key = srp.SessionKey(srp.ClientSecret(b, srp.X(salt, "wifiprov", "abcd1234"), SecretA, u));
        Assert.Equal(key, srp.SessionKey(srp.DeviceSecret(a, v, u, SecretB)));
        Assert.Equal("d24f3516edfc6d046cc34e1571517ff824f4ea1b94ecc031a6df02c965aaef9fc0ecc63ea29daedecf431f8ea19a6ddfba5900769f54fc012ac1e3bd7537a6ed", Convert.ToHexString(key).ToLowerInvariant());
        var m1 = srp.ClientProof("wifiprov", salt, a, b, key);
        Assert.Equal("30b42a3eb2263eadd1b757c81dc91a4b8e4479e33ec6324afaa26332073da44a59a359420e9bf32dee7a7d1fe9150b8c7d3f2a4cd33ebe70b5ec064af3872de6", Convert.ToHexString(m1).ToLowerInvariant());
        Assert.Equal("34379d2c48ac616307deeaef63688751c13494ab9686f521f225f513779cf1e950a44f03494dc6963f60b20e1133a2891352affd4693706bb5a716d98c350c4e", Convert.ToHexString(srp.DeviceProof(a, m1, key)).ToLowerInvariant());
    }

    [Fact]
    public void A_wrong_password_gives_a_different_secret()
    {
        var srp = Srp6a.EspIdf;
        var v = srp.Verifier(Salt, "wifiprov", "right");
        var a = srp.ClientPublic(SecretA);
        var b = srp.DevicePublic(SecretB, v);
        var u = srp.U(a, b);
        Assert.NotEqual(srp.DeviceSecret(a, v, u, SecretB), srp.ClientSecret(b, srp.X(Salt, "wifiprov", "wrong"), SecretA, u));
    }

    private static BigInteger Hex(string hex) => Srp6a.Number(Convert.FromHexString(hex));
}
