using Bridge.Protocols.EspProv;
using Bridge.Protocols.EspProv.Messages;
using FsCheck;
using FsCheck.Fluent;

namespace Bridge.Tests.Protocols.EspProv;

/// <summary>Whatever arrives — random bytes, cut messages, flipped bits — the provisioning codecs
/// answer with an <see cref="EspProvException"/> (or a parsed message), never another exception,
/// and a GCM-protected message that was altered never decrypts.</summary>
public sealed class EspProvFuzzTests
{
    private static T OnlyEspProvErrors<T>(Func<T> action) where T : class
    {
        try
        {
            return action();
        }
        catch (EspProvException)
        {
            return null!;
        }
    }

    [Fact]
    public void Device_sessions_take_any_request() =>
        Prop.ForAll(ArbMap.Default.ArbFor<byte[]>(), bytes =>
        {
            foreach (var level in new[] { 0, 1, 2 })
                OnlyEspProvErrors(() => EspProvDeviceSession.Create(level, 1, "pop").Handle(bytes));
        }).QuickCheckThrowOnFailure();

    [Fact]
    public void Client_sessions_take_any_response() =>
        Prop.ForAll(ArbMap.Default.ArbFor<byte[]>(), bytes =>
        {
            foreach (var level in new[] { 0, 1, 2 })
            {
                var client = EspProvClientSession.Create(level, 1, "pop");
                client.Begin();
                OnlyEspProvErrors(() => client.Continue(bytes) ?? []);
            }
        }).QuickCheckThrowOnFailure();

    [Fact]
    public void Config_and_scan_readers_take_any_plaintext() =>
        Prop.ForAll(ArbMap.Default.ArbFor<byte[]>(), bytes =>
        {
            OnlyEspProvErrors(() => WifiConfigMessages.ReadResponse(bytes, WiFiConfigMsgType.RespGetStatus));
            OnlyEspProvErrors(() => WifiConfigMessages.ReadScan(bytes, WiFiScanMsgType.RespScanResult));
            ProtoVersion.TryParse(bytes, out _);
        }).QuickCheckThrowOnFailure();

    [Fact]
    public void Truncated_and_bit_flipped_handshake_messages_never_throw_otherwise()
    {
        var real = new Security2Client("wifiprov", "pop", 1).Begin();
        Prop.ForAll(Gen.Choose(0, real.Length * 8 - 1).ToArbitrary(), Gen.Choose(0, real.Length).ToArbitrary(), (bit, cut) =>
        {
            var flipped = real.ToArray();
            flipped[bit / 8] ^= (byte)(1 << (bit % 8));
            OnlyEspProvErrors(() => new Security2Device("wifiprov", "pop", 1).Handle(flipped));
            OnlyEspProvErrors(() => new Security2Device("wifiprov", "pop", 1).Handle(real.AsSpan(0, cut).ToArray()));
        }).QuickCheckThrowOnFailure();
    }

    [Fact]
    public void An_altered_gcm_message_never_passes()
    {
        var key = System.Security.Cryptography.RandomNumberGenerator.GetBytes(64);
        var nonce = System.Security.Cryptography.RandomNumberGenerator.GetBytes(12);
        using var sender = new AesGcmSession(key, nonce, 1);
        var sealedMessage = sender.Encrypt(WifiConfigMessages.SetConfig("Home", "password"));
        using (var intact = new AesGcmSession(key, nonce, 1))
            Assert.Equal(WifiConfigMessages.SetConfig("Home", "password"), intact.Decrypt(sealedMessage));
        Prop.ForAll(Gen.Choose(0, sealedMessage.Length * 8 - 1).ToArbitrary(), Gen.Choose(0, sealedMessage.Length - 1).ToArbitrary(), ArbMap.Default.ArbFor<byte[]>(), (bit, cut, noise) =>
        {
            var flipped = sealedMessage.ToArray();
            flipped[bit / 8] ^= (byte)(1 << (bit % 8));
            foreach (var altered in new[] { flipped, sealedMessage[..cut], noise })
            {
                // A fresh receiver each time: its nonce counter stands where the sender's did.
                using var receiver = new AesGcmSession(key, nonce, 1);
                Assert.Throws<EspProvException>(() => receiver.Decrypt(altered));
            }
        }).QuickCheckThrowOnFailure();
    }
}
