using Google.Protobuf;
using Bridge.Protocols.EspProv;
using Bridge.Protocols.EspProv.Messages;

namespace Bridge.Tests.Protocols.EspProv;

/// <summary>The installer's and the device's sides of each security level, against each other:
/// the handshake, then Wi-Fi settings both ways; a wrong proof of possession is refused.</summary>
public sealed class EspProvSessionTests
{
    public static TheoryData<int, int, string?> Levels => new()
    {
        { 0, 0, null }, { 1, 0, null }, { 1, 0, "abcd1234" }, { 2, 0, "abcd1234" }, { 2, 1, "abcd1234" },
    };

    [Theory]
    [MemberData(nameof(Levels))]
    public void Handshake_then_settings_travel_both_ways(int security, int patch, string? pop)
    {
        var client = EspProvClientSession.Create(security, patch, pop);
        var device = EspProvDeviceSession.Create(security, patch, pop);

        Handshake(client, device);

        Assert.True(client.Established);
        Assert.True(device.Established);
        for (var i = 0; i < 3; i++) // several messages: the CTR keystream and the GCM counter stay in step
        {
            var request = client.Encrypt(WifiConfigMessages.SetConfig("Home", "s3cret pässword"));
            if (security > 0) Assert.DoesNotContain("s3cret"u8.ToArray(), request.Chunk(6).Select(c => c.ToArray()), ByteArrayComparer.Instance);
            var seen = WiFiConfigPayload.Parser.ParseFrom(device.Decrypt(request));
            Assert.Equal("s3cret pässword", seen.CmdSetConfig.Passphrase.ToStringUtf8());
            var reply = device.Encrypt(new WiFiConfigPayload { Msg = WiFiConfigMsgType.RespSetConfig, RespSetConfig = new RespSetConfig() }.ToByteArray());
            WifiConfigMessages.ReadResponse(client.Decrypt(reply), WiFiConfigMsgType.RespSetConfig);
        }
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    public void A_wrong_proof_of_possession_is_refused_by_the_device(int security)
    {
        var client = EspProvClientSession.Create(security, 1, "wrong-pop");
        var device = EspProvDeviceSession.Create(security, 1, "abcd1234");

        var e = Assert.Throws<EspProvException>(() => Handshake(client, device));
        Assert.Contains("wrong proof of possession", e.Message);
        Assert.False(device.Established);
        Assert.DoesNotContain("abcd1234", e.Message);
    }

    [Fact]
    public void Security2_without_a_pop_says_it_needs_one()
    {
        var e = Assert.Throws<EspProvException>(() => EspProvClientSession.Create(2, 1, null));
        Assert.Contains("proof of possession", e.Message);
    }

    [Fact]
    public void A_device_answering_with_another_security_is_refused()
    {
        var client = EspProvClientSession.Create(2, 1, "abcd1234");
        client.Begin();
        var sec0Reply = new Security0Device().Handle(new Security0Client().Begin());
        var e = Assert.Throws<EspProvException>(() => client.Continue(sec0Reply));
        Assert.Contains("security 0, not 2", e.Message);
    }

    internal static void Handshake(EspProvClientSession client, EspProvDeviceSession device)
    {
        var request = client.Begin();
        while (request is not null) request = client.Continue(device.Handle(request));
    }

    private sealed class ByteArrayComparer : IEqualityComparer<byte[]>
    {
        public static readonly ByteArrayComparer Instance = new();
        public bool Equals(byte[]? x, byte[]? y) => x.AsSpan().SequenceEqual(y);
        public int GetHashCode(byte[] obj) => obj.Length;
    }
}
