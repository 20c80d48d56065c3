using System.Numerics;
using System.Security.Cryptography;
using System.Text;
using Bridge.Protocols.EspProv.Messages;
using Google.Protobuf;

namespace Bridge.Protocols.EspProv;

/// <summary>Security 2, installer's side: SRP-6a (<see cref="Srp6a"/>, 3072-bit group, SHA-512)
/// with the proof of possession as the password of <c>username</c>, then AES-256-GCM with the
/// device's nonce (<see cref="AesGcmSession"/>).</summary>
public sealed class Security2Client(string username, string password, int patchVersion, Srp6a? srp = null, BigInteger? secret = null) : EspProvClientSession
{
    /// <summary>ESP-IDF's examples and esp_prov use this username unless told otherwise.</summary>
    public const string DefaultUsername = "wifiprov";

    private readonly Srp6a _srp = srp ?? Srp6a.EspIdf;
    private readonly BigInteger _a = secret ?? Srp6a.RandomSecret();
    private BigInteger _publicA;
    private byte[]? _key;
    private byte[]? _expectedDeviceProof;

    public override int SecurityVersion => 2;

    public override byte[] Begin()
    {
        _publicA = _srp.ClientPublic(_a);
        return new SessionData
        {
            SecVer = SecSchemeVersion.SecScheme2,
            Sec2 = new Sec2Payload
            {
                Msg = Sec2MsgType.S2SessionCommand0,
                Sc0 = new Sec2SessionCmd0 { ClientUsername = ByteString.CopyFromUtf8(username), ClientPubkey = ByteString.CopyFrom(Srp6a.Bytes(_publicA)) },
            },
        }.ToByteArray();
    }

    public override byte[]? Continue(ReadOnlySpan<byte> response)
    {
        if (_key is null)
        {
            var data = ParseResponse(response, "step 1");
            if (data.Sec2?.Sr0 is not { } r0) throw new EspProvException("the device's security 2 answer to step 1 holds no response 0");
            Check(r0.Status, "step 1");
            var b = Srp6a.Number(r0.DevicePubkey.Span);
            if ((b % _srp.Group.N).IsZero) throw new EspProvException("the device sent an SRP public key that is not allowed (B mod N = 0)");
            var u = _srp.U(_publicA, b);
            if (u.IsZero) throw new EspProvException("the device sent an SRP public key that is not allowed (u = 0)");
            var x = _srp.X(r0.DeviceSalt.Span, username, password);
            _key = _srp.SessionKey(_srp.ClientSecret(b, x, _a, u));
            var proof = _srp.ClientProof(username, r0.DeviceSalt.Span, _publicA, b, _key);
            _expectedDeviceProof = _srp.DeviceProof(_publicA, proof, _key);
            return new SessionData
            {
                SecVer = SecSchemeVersion.SecScheme2,
                Sec2 = new Sec2Payload { Msg = Sec2MsgType.S2SessionCommand1, Sc1 = new Sec2SessionCmd1 { ClientProof = ByteString.CopyFrom(proof) } },
            }.ToByteArray();
        }
        var last = ParseResponse(response, "step 2");
        if (last.Sec2?.Sr1 is not { } r1) throw new EspProvException("the device's security 2 answer to step 2 holds no response 1");
        Check(r1.Status, "step 2");
        if (!CryptographicOperations.FixedTimeEquals(r1.DeviceProof.Span, _expectedDeviceProof))
            throw new EspProvException("the device's SRP proof does not match: the proof of possession (or username) is wrong, or this is not the device it claims to be");
        Cipher = new AesGcmSession(_key, r1.DeviceNonce.Span, patchVersion);
        return null;
    }
}

/// <summary>Security 2, device's side: stores only the salt and verifier made from the proof of
/// possession (as a flashed device does), checks the installer's proof, answers with its own and
/// a fresh nonce.</summary>
public sealed class Security2Device : EspProvDeviceSession
{
    private readonly string _username;
    private readonly int _patchVersion;
    private readonly Srp6a _srp;
    private readonly byte[] _salt;
    private readonly BigInteger _verifier;
    private byte[]? _key;
    private byte[]? _expectedClientProof;
    private BigInteger _publicA;

    public Security2Device(string username, string password, int patchVersion, Srp6a? srp = null)
    {
        _username = username;
        _patchVersion = patchVersion;
        _srp = srp ?? Srp6a.EspIdf;
        _salt = RandomNumberGenerator.GetBytes(16);
        _salt[0] |= 0x01; // minimal-length encodings keep all 16 bytes
        _verifier = _srp.Verifier(_salt, username, password);
    }

    public override int SecurityVersion => 2;

    public override byte[] Handle(ReadOnlySpan<byte> request)
    {
        var data = ParseRequest(request);
        if (data.Sec2?.Sc0 is { } c0)
        {
            Cipher = null;
            _key = null;
            if (c0.ClientUsername.ToStringUtf8() != _username) throw new EspProvException("unknown SRP username");
            _publicA = Srp6a.Number(c0.ClientPubkey.Span);
            if ((_publicA % _srp.Group.N).IsZero) throw new EspProvException("the installer sent an SRP public key that is not allowed (A mod N = 0)");
            var b = Srp6a.RandomSecret();
            var publicB = _srp.DevicePublic(b, _verifier);
            var u = _srp.U(_publicA, publicB);
            _key = _srp.SessionKey(_srp.DeviceSecret(_publicA, _verifier, u, b));
            _expectedClientProof = _srp.ClientProof(_username, _salt, _publicA, publicB, _key);
            return new SessionData
            {
                SecVer = SecSchemeVersion.SecScheme2,
                Sec2 = new Sec2Payload
                {
                    Msg = Sec2MsgType.S2SessionResponse0,
                    Sr0 = new Sec2SessionResp0 { Status = Status.Success, DevicePubkey = ByteString.CopyFrom(Srp6a.Bytes(publicB)), DeviceSalt = ByteString.CopyFrom(_salt) },
                },
            }.ToByteArray();
        }
        if (data.Sec2?.Sc1 is { } c1 && _key is not null && _expectedClientProof is not null)
        {
            if (!CryptographicOperations.FixedTimeEquals(c1.ClientProof.Span, _expectedClientProof))
            {
                _key = null;
                throw new EspProvException("SRP proof mismatch: wrong proof of possession");
            }
            var nonce = RandomNumberGenerator.GetBytes(12);
            var proof = _srp.DeviceProof(_publicA, c1.ClientProof.Span, _key);
            Cipher = new AesGcmSession(_key, nonce, _patchVersion);
            return new SessionData
            {
                SecVer = SecSchemeVersion.SecScheme2,
                Sec2 = new Sec2Payload
                {
                    Msg = Sec2MsgType.S2SessionResponse1,
                    Sr1 = new Sec2SessionResp1 { Status = Status.Success, DeviceProof = ByteString.CopyFrom(proof), DeviceNonce = ByteString.CopyFrom(nonce) },
                },
            }.ToByteArray();
        }
        throw new EspProvException("a security 2 request out of order (command 1 before command 0, or neither)");
    }
}
