using System.Security.Cryptography;
using System.Text;
using Bridge.Protocols.EspProv.Messages;
using Google.Protobuf;
using Org.BouncyCastle.Crypto.Agreement;
using Org.BouncyCastle.Crypto.Parameters;
using Org.BouncyCastle.Security;

namespace Bridge.Protocols.EspProv;

/// <summary>Security 1's key material (protocol digest, "Security 1"): X25519 (BouncyCastle),
/// the shared secret XOR SHA-256(proof of possession) when there is one, AES-256-CTR with the
/// device's random as IV.</summary>
internal static class Security1Keys
{
    public const int KeyLength = 32;

    public static (byte[] Private, byte[] Public) NewKeyPair()
    {
        var key = new X25519PrivateKeyParameters(new SecureRandom());
        return (key.GetEncoded(), key.GeneratePublicKey().GetEncoded());
    }

    public static AesCtrStream Cipher(byte[] privateKey, ReadOnlySpan<byte> peerPublic, string? pop, ReadOnlySpan<byte> iv)
    {
        if (peerPublic.Length != KeyLength) throw new EspProvException($"an X25519 public key must be 32 bytes, not {peerPublic.Length}");
        var agreement = new X25519Agreement();
        agreement.Init(new X25519PrivateKeyParameters(privateKey));
        var shared = new byte[KeyLength];
        agreement.CalculateAgreement(new X25519PublicKeyParameters(peerPublic), shared, 0);
        if (pop is { Length: > 0 })
        {
            var digest = SHA256.HashData(Encoding.UTF8.GetBytes(pop));
            for (var i = 0; i < KeyLength; i++) shared[i] ^= digest[i];
        }
        var cipher = new AesCtrStream(shared, iv);
        CryptographicOperations.ZeroMemory(shared);
        return cipher;
    }
}

/// <summary>Security 1, installer's side: public key out, device key and random in, then proof
/// that both ends hold the same key (its encryption of the device's key, checked against the
/// device's encryption of ours).</summary>
public sealed class Security1Client(string? pop) : EspProvClientSession
{
    private readonly (byte[] Private, byte[] Public) _keys = Security1Keys.NewKeyPair();
    private AesCtrStream? _pending;

    public override int SecurityVersion => 1;

    public override byte[] Begin() => new SessionData
    {
        SecVer = SecSchemeVersion.SecScheme1,
        Sec1 = new Sec1Payload { Msg = Sec1MsgType.SessionCommand0, Sc0 = new Sec1SessionCmd0 { ClientPubkey = ByteString.CopyFrom(_keys.Public) } },
    }.ToByteArray();

    public override byte[]? Continue(ReadOnlySpan<byte> response)
    {
        if (_pending is null)
        {
            var data = ParseResponse(response, "step 1");
            if (data.Sec1?.Sr0 is not { } r0) throw new EspProvException("the device's security 1 answer to step 1 holds no response 0");
            Check(r0.Status, "step 1");
            _pending = Security1Keys.Cipher(_keys.Private, r0.DevicePubkey.Span, pop, r0.DeviceRandom.Span);
            var verify = _pending.Encrypt(r0.DevicePubkey.Span);
            return new SessionData
            {
                SecVer = SecSchemeVersion.SecScheme1,
                Sec1 = new Sec1Payload { Msg = Sec1MsgType.SessionCommand1, Sc1 = new Sec1SessionCmd1 { ClientVerifyData = ByteString.CopyFrom(verify) } },
            }.ToByteArray();
        }
        var last = ParseResponse(response, "step 2");
        if (last.Sec1?.Sr1 is not { } r1) throw new EspProvException("the device's security 1 answer to step 2 holds no response 1");
        Check(r1.Status, "step 2");
        var theirs = _pending.Decrypt(r1.DeviceVerifyData.Span);
        if (!CryptographicOperations.FixedTimeEquals(theirs, _keys.Public))
            throw new EspProvException("the device's proof does not match ours: the proof of possession is wrong");
        Cipher = _pending;
        return null;
    }
}

/// <summary>Security 1, device's side: answers the installer's key with its own and a random,
/// then accepts only an installer that encrypted its key with the same shared key (right PoP).</summary>
public sealed class Security1Device(string? pop) : EspProvDeviceSession
{
    private readonly (byte[] Private, byte[] Public) _keys = Security1Keys.NewKeyPair();
    private AesCtrStream? _pending;
    private byte[]? _clientPublic;

    public override int SecurityVersion => 1;

    public override byte[] Handle(ReadOnlySpan<byte> request)
    {
        var data = ParseRequest(request);
        if (data.Sec1?.Sc0 is { } c0)
        {
            var random = RandomNumberGenerator.GetBytes(16);
            _clientPublic = c0.ClientPubkey.ToByteArray();
            _pending = Security1Keys.Cipher(_keys.Private, _clientPublic, pop, random);
            Cipher = null;
            return new SessionData
            {
                SecVer = SecSchemeVersion.SecScheme1,
                Sec1 = new Sec1Payload
                {
                    Msg = Sec1MsgType.SessionResponse0,
                    Sr0 = new Sec1SessionResp0 { Status = Status.Success, DevicePubkey = ByteString.CopyFrom(_keys.Public), DeviceRandom = ByteString.CopyFrom(random) },
                },
            }.ToByteArray();
        }
        if (data.Sec1?.Sc1 is { } c1 && _pending is not null && _clientPublic is not null)
        {
            var mine = _pending.Decrypt(c1.ClientVerifyData.Span);
            if (!CryptographicOperations.FixedTimeEquals(mine, _keys.Public))
            {
                _pending = null;
                throw new EspProvException("key mismatch: wrong proof of possession");
            }
            var verify = _pending.Encrypt(_clientPublic);
            Cipher = _pending;
            return new SessionData
            {
                SecVer = SecSchemeVersion.SecScheme1,
                Sec1 = new Sec1Payload { Msg = Sec1MsgType.SessionResponse1, Sr1 = new Sec1SessionResp1 { Status = Status.Success, DeviceVerifyData = ByteString.CopyFrom(verify) } },
            }.ToByteArray();
        }
        throw new EspProvException("a security 1 request out of order (command 1 before command 0, or neither)");
    }
}
