using System.Buffers;
using System.Security.Cryptography;
using System.Text;

namespace Bridge.Protocols.Tuya;

/// <summary>One decoded Tuya message: the frame's fields and its payload in plain text (JSON, or
/// the handshake's raw bytes), version header and encryption removed.</summary>
public readonly record struct TuyaMessage(uint Sequence, uint Command, uint? ReturnCode, byte[] Payload);

/// <summary>The payload layer of one Tuya connection (PROTOCOLS.md §10.1): which key, which
/// encryption and which clear version header each version and command use, on top of
/// <see cref="TuyaFrameCodec"/>. Holds the local key and, after a 3.4/3.5 handshake, the session
/// key; used by the bridge (client side) and by the simulator (device side). Never throws on input.</summary>
public sealed class TuyaCodec(TuyaVersion version, byte[] localKey)
{
    private const int HeaderBytes = 15;

    public TuyaVersion Version { get; } = version;

    /// <summary>Set once the 3.4/3.5 handshake is done; every later frame uses it.</summary>
    public byte[]? SessionKey { get; set; }

    public TuyaIntegrity Integrity => Version switch
    {
        TuyaVersion.V34 => TuyaIntegrity.Hmac,
        TuyaVersion.V35 => TuyaIntegrity.Gcm,
        _ => TuyaIntegrity.Crc,
    };

    private byte[] KeyFor(uint command) =>
        command is TuyaCommand.SessionKeyStart or TuyaCommand.SessionKeyResponse or TuyaCommand.SessionKeyFinish
            ? localKey : SessionKey ?? localKey;

    /// <summary>Writes one message. <paramref name="fromDevice"/> frames carry
    /// <paramref name="returnCode"/>; an empty device payload (an ack) stays empty.</summary>
    public void Write(IBufferWriter<byte> output, uint sequence, uint command, ReadOnlySpan<byte> payload, bool fromDevice, uint returnCode = 0)
    {
        uint? rc = fromDevice ? returnCode : null;
        var key = KeyFor(command);
        switch (Version)
        {
            case TuyaVersion.V31:
                TuyaFrameCodec.Write55AA(output, sequence, command, rc, Body31(command, payload, fromDevice), []);
                break;
            case TuyaVersion.V33:
            {
                if (fromDevice && payload.IsEmpty) { TuyaFrameCodec.Write55AA(output, sequence, command, rc, [], []); break; }
                var cipher = EcbEncrypt(key, payload);
                TuyaFrameCodec.Write55AA(output, sequence, command, rc, WithHeader(command, cipher), []);
                break;
            }
            case TuyaVersion.V34:
            {
                if (fromDevice && payload.IsEmpty) { TuyaFrameCodec.Write55AA(output, sequence, command, rc, [], key); break; }
                var cipher = EcbEncrypt(key, WithHeader(command, payload));
                TuyaFrameCodec.Write55AA(output, sequence, command, rc, cipher, key);
                break;
            }
            default:
                TuyaFrameCodec.Write6699(output, sequence, command, rc, payload.IsEmpty ? [] : WithHeader(command, payload), key, RandomNumberGenerator.GetBytes(12));
                break;
        }
    }

    /// <summary>Reads the message at the start of <paramref name="input"/>. A frame whose HMAC or
    /// GCM tag fails, or whose payload does not decrypt, is <see cref="TuyaDecodeStatus.Unauthentic"/>;
    /// garbage is <see cref="TuyaDecodeStatus.Invalid"/>; both with the reason, and
    /// <paramref name="consumed"/> says how much to drop either way.</summary>
    public TuyaDecodeStatus TryRead(ReadOnlySpan<byte> input, bool fromDevice, out TuyaMessage message, out int consumed, out string error)
    {
        message = default;
        TuyaFrameCodec.TryPeekHeader(input, out _, out var command);
        var status = TuyaFrameCodec.TryDecode(input, Integrity, KeyFor(command), fromDevice, out var frame, out consumed, out error);
        if (status != TuyaDecodeStatus.Frame) return status;
        if (!TryOpen(frame.Command, frame.Payload, out var plain, out error)) return TuyaDecodeStatus.Unauthentic;
        message = new TuyaMessage(frame.Sequence, frame.Command, frame.ReturnCode, plain);
        return TuyaDecodeStatus.Frame;
    }

    private bool TryOpen(uint command, byte[] body, out byte[] plain, out string error)
    {
        error = "";
        plain = body;
        if (body.Length == 0) return true;
        try
        {
            switch (Version)
            {
                case TuyaVersion.V31:
                    if (body.Length > 19 && body.AsSpan().StartsWith("3.1"u8))
                    {
                        var text = body.AsSpan(19);
                        if (!CheckSignature31(body.AsSpan(3, 16), text)) { error = "3.1 signature mismatch (wrong local key?)"; return false; }
                        var cipher = Convert.FromBase64String(Encoding.ASCII.GetString(text));
                        plain = EcbDecrypt(localKey, cipher);
                    }
                    return true;
                case TuyaVersion.V33:
                {
                    var span = body.AsSpan();
                    // A clear "3.x" header, or (STATUS pushes) a 15-byte source header of another shape.
                    if (span.Length % 16 == HeaderBytes) span = span[HeaderBytes..];
                    if (span.IsEmpty) { plain = []; return true; }
                    if (span.Length % 16 != 0) { error = $"a 3.3 payload of {span.Length} bytes is not whole AES blocks"; return false; }
                    plain = EcbDecrypt(KeyFor(command), span);
                    return true;
                }
                case TuyaVersion.V34:
                    if (body.Length % 16 != 0) { error = $"a 3.4 payload of {body.Length} bytes is not whole AES blocks"; return false; }
                    plain = StripHeader(EcbDecrypt(KeyFor(command), body));
                    return true;
                default:
                    plain = StripHeader(body);
                    return true;
            }
        }
        catch (Exception e) when (e is CryptographicException or FormatException)
        {
            error = "the payload does not decrypt with this key (wrong local key?)";
            plain = [];
            return false;
        }
    }

    private byte[] Body31(uint command, ReadOnlySpan<byte> payload, bool fromDevice)
    {
        // 3.1 encrypts only CONTROL (and devices their STATUS pushes): "3.1" + signature + base64(ECB).
        var encrypt = fromDevice ? command == TuyaCommand.Status && !payload.IsEmpty : command == TuyaCommand.Control;
        if (!encrypt) return payload.ToArray();
        var b64 = Convert.ToBase64String(EcbEncrypt(localKey, payload));
        var b64Bytes = Encoding.ASCII.GetBytes(b64);
        var body = new byte[19 + b64Bytes.Length];
        "3.1"u8.CopyTo(body);
        Signature31(b64Bytes).CopyTo(body.AsSpan(3));
        b64Bytes.CopyTo(body.AsSpan(19));
        return body;
    }

    /// <summary>md5hex("data=" + b64 + "||lpv=3.1||" + key)[8:24], as ASCII.</summary>
    private byte[] Signature31(ReadOnlySpan<byte> b64)
    {
        var buffer = new ArrayBufferWriter<byte>(b64.Length + 40);
        buffer.Write("data="u8);
        buffer.Write(b64);
        buffer.Write("||lpv=3.1||"u8);
        buffer.Write(localKey);
        var hex = Convert.ToHexStringLower(MD5.HashData(buffer.WrittenSpan));
        return Encoding.ASCII.GetBytes(hex[8..24]);
    }

    private bool CheckSignature31(ReadOnlySpan<byte> signature, ReadOnlySpan<byte> b64) =>
        CryptographicOperations.FixedTimeEquals(signature, Signature31(b64));

    private byte[] WithHeader(uint command, ReadOnlySpan<byte> payload)
    {
        if (TuyaCommand.HasNoVersionHeader(command)) return payload.ToArray();
        var withHeader = new byte[HeaderBytes + payload.Length];
        Encoding.ASCII.GetBytes(Version.Text(), withHeader);
        payload.CopyTo(withHeader.AsSpan(HeaderBytes));
        return withHeader;
    }

    private static byte[] StripHeader(byte[] plain) =>
        plain.Length >= HeaderBytes && plain[0] == (byte)'3' && plain[1] == (byte)'.' && plain[3] == 0 ? plain[HeaderBytes..] : plain;

    /// <summary>AES-128-ECB with PKCS#7. A new instance per call: it is cheap next to a network
    /// round trip, and a shared one would need locking.</summary>
    internal static byte[] EcbEncrypt(ReadOnlySpan<byte> key, ReadOnlySpan<byte> plain)
    {
        using var aes = Aes.Create();
        aes.Key = key.ToArray();
        return aes.EncryptEcb(plain, PaddingMode.PKCS7);
    }

    internal static byte[] EcbDecrypt(ReadOnlySpan<byte> key, ReadOnlySpan<byte> cipher)
    {
        using var aes = Aes.Create();
        aes.Key = key.ToArray();
        return aes.DecryptEcb(cipher, PaddingMode.PKCS7);
    }
}
