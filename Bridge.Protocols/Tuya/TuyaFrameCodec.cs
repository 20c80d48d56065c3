using System.Buffers;
using System.Buffers.Binary;
using System.IO.Hashing;
using System.Security.Cryptography;

namespace Bridge.Protocols.Tuya;

/// <summary>Tuya's two frame layouts (PROTOCOLS.md §10.1): <c>000055AA</c> frames closed by a CRC-32
/// or an HMAC-SHA256, and 3.5's <c>00006699</c> frames sealed with AES-GCM. Only framing and
/// integrity: what the payload means (and its ECB layer) is <see cref="TuyaCodec"/>'s business.
/// Decoding never throws.</summary>
public static class TuyaFrameCodec
{
    public const uint Prefix55AA = 0x000055AA;
    public const uint Suffix55AA = 0x0000AA55;
    public const uint Prefix6699 = 0x00006699;
    public const uint Suffix6699 = 0x00009966;

    /// <summary>No device sends more; a length field beyond it is garbage, not a frame to wait for.</summary>
    public const int MaxFrameBytes = 64 * 1024;

    private const int GcmIvBytes = 12;
    private const int GcmTagBytes = 16;
    private const int HmacBytes = 32;

    /// <summary>Writes a 55AA frame: CRC-32 when <paramref name="hmacKey"/> is empty, else HMAC-SHA256.</summary>
    public static void Write55AA(IBufferWriter<byte> output, uint sequence, uint command, uint? returnCode, ReadOnlySpan<byte> body, ReadOnlySpan<byte> hmacKey)
    {
        var check = hmacKey.IsEmpty ? 4 : HmacBytes;
        var retBytes = returnCode.HasValue ? 4 : 0;
        var total = 16 + retBytes + body.Length + check + 4;
        var span = output.GetSpan(total)[..total];
        BinaryPrimitives.WriteUInt32BigEndian(span, Prefix55AA);
        BinaryPrimitives.WriteUInt32BigEndian(span[4..], sequence);
        BinaryPrimitives.WriteUInt32BigEndian(span[8..], command);
        BinaryPrimitives.WriteUInt32BigEndian(span[12..], (uint)(retBytes + body.Length + check + 4));
        if (returnCode is { } rc) BinaryPrimitives.WriteUInt32BigEndian(span[16..], rc);
        body.CopyTo(span[(16 + retBytes)..]);
        var covered = span[..(16 + retBytes + body.Length)];
        if (hmacKey.IsEmpty) BinaryPrimitives.WriteUInt32BigEndian(span[covered.Length..], Crc32.HashToUInt32(covered));
        else HMACSHA256.HashData(hmacKey, covered, span.Slice(covered.Length, HmacBytes));
        BinaryPrimitives.WriteUInt32BigEndian(span[(total - 4)..], Suffix55AA);
        output.Advance(total);
    }

    /// <summary>Writes a 6699 frame: the plaintext (return code first when given) sealed with
    /// AES-128-GCM under <paramref name="key"/>, nonce <paramref name="iv"/> (12 bytes), the 14
    /// header bytes after the prefix as associated data.</summary>
    public static void Write6699(IBufferWriter<byte> output, uint sequence, uint command, uint? returnCode, ReadOnlySpan<byte> body, ReadOnlySpan<byte> key, ReadOnlySpan<byte> iv)
    {
        if (iv.Length != GcmIvBytes) throw new ArgumentException("a 3.5 frame needs a 12-byte IV", nameof(iv));
        var retBytes = returnCode.HasValue ? 4 : 0;
        var plainLength = retBytes + body.Length;
        var total = 18 + GcmIvBytes + plainLength + GcmTagBytes + 4;
        var span = output.GetSpan(total)[..total];
        BinaryPrimitives.WriteUInt32BigEndian(span, Prefix6699);
        BinaryPrimitives.WriteUInt16BigEndian(span[4..], 0);
        BinaryPrimitives.WriteUInt32BigEndian(span[6..], sequence);
        BinaryPrimitives.WriteUInt32BigEndian(span[10..], command);
        BinaryPrimitives.WriteUInt32BigEndian(span[14..], (uint)(GcmIvBytes + plainLength + GcmTagBytes));
        iv.CopyTo(span[18..]);
        var plain = plainLength <= 1024 ? stackalloc byte[plainLength] : new byte[plainLength];
        if (returnCode is { } rc) BinaryPrimitives.WriteUInt32BigEndian(plain, rc);
        body.CopyTo(plain[retBytes..]);
        using (var gcm = new AesGcm(key, GcmTagBytes))
            gcm.Encrypt(iv, plain, span.Slice(30, plainLength), span.Slice(30 + plainLength, GcmTagBytes), span[4..18]);
        BinaryPrimitives.WriteUInt32BigEndian(span[(total - 4)..], Suffix6699);
        output.Advance(total);
    }

    /// <summary>Reads the frame at the start of <paramref name="input"/>. <paramref name="key"/>:
    /// the HMAC key (<see cref="TuyaIntegrity.Hmac"/>) or GCM key (<see cref="TuyaIntegrity.Gcm"/>);
    /// unused for CRC. <paramref name="fromDevice"/>: device→client frames may carry a return code.
    /// A frame of the other layout than <paramref name="integrity"/> expects is
    /// <see cref="TuyaDecodeStatus.Invalid"/> with the reason in <paramref name="error"/>.</summary>
    public static TuyaDecodeStatus TryDecode(ReadOnlySpan<byte> input, TuyaIntegrity integrity, ReadOnlySpan<byte> key, bool fromDevice,
        out TuyaFrame frame, out int consumed, out string error)
    {
        frame = default;
        consumed = 0;
        error = "";
        if (input.Length < 4) return StartsLikePrefix(input) ? TuyaDecodeStatus.NeedMore : Skip(input, out consumed, out error);
        var prefix = BinaryPrimitives.ReadUInt32BigEndian(input);
        if (prefix != Prefix55AA && prefix != Prefix6699) return Skip(input, out consumed, out error);
        var gcm = prefix == Prefix6699;
        var headerBytes = gcm ? 18 : 16;
        if (input.Length < headerBytes) return TuyaDecodeStatus.NeedMore;
        var length = BinaryPrimitives.ReadUInt32BigEndian(input[(headerBytes - 4)..]);
        var minimum = gcm ? GcmIvBytes + GcmTagBytes : (integrity == TuyaIntegrity.Hmac ? HmacBytes : 4) + 4;
        if (length > MaxFrameBytes || length < minimum)
        {
            consumed = 4;
            error = $"a frame length of {length} bytes is impossible";
            return TuyaDecodeStatus.Invalid;
        }
        // 55AA's length counts through the suffix; 6699's ends with the tag.
        var total = headerBytes + (int)length + (gcm ? 4 : 0);
        if (input.Length < total) return TuyaDecodeStatus.NeedMore;
        consumed = total;
        var whole = input[..total];
        if (BinaryPrimitives.ReadUInt32BigEndian(whole[^4..]) != (gcm ? Suffix6699 : Suffix55AA))
        {
            // The length lied; resynchronise on the next prefix instead of trusting it.
            consumed = 4;
            error = "no frame suffix where the length says";
            return TuyaDecodeStatus.Invalid;
        }
        if (gcm != (integrity == TuyaIntegrity.Gcm))
        {
            error = gcm ? "a 3.5 (6699) frame where a 55AA frame was expected" : "a 55AA frame where a 3.5 (6699) frame was expected";
            return TuyaDecodeStatus.Invalid;
        }
        var sequence = BinaryPrimitives.ReadUInt32BigEndian(whole[(gcm ? 6 : 4)..]);
        var command = BinaryPrimitives.ReadUInt32BigEndian(whole[(gcm ? 10 : 8)..]);
        byte[] body;
        if (gcm)
        {
            if (!TryOpenGcm(whole, key, out body, out error)) return TuyaDecodeStatus.Unauthentic;
        }
        else
        {
            var checkBytes = integrity == TuyaIntegrity.Hmac ? HmacBytes : 4;
            var covered = whole[..(total - 4 - checkBytes)];
            var check = whole.Slice(covered.Length, checkBytes);
            if (integrity == TuyaIntegrity.Hmac)
            {
                Span<byte> mac = stackalloc byte[HmacBytes];
                if (key.IsEmpty) { error = "no HMAC key"; return TuyaDecodeStatus.Unauthentic; }
                HMACSHA256.HashData(key, covered, mac);
                if (!CryptographicOperations.FixedTimeEquals(mac, check)) { error = "HMAC mismatch"; return TuyaDecodeStatus.Unauthentic; }
            }
            else if (Crc32.HashToUInt32(covered) != BinaryPrimitives.ReadUInt32BigEndian(check))
            {
                error = "CRC mismatch";
                return TuyaDecodeStatus.Invalid;
            }
            body = covered[16..].ToArray();
        }
        uint? returnCode = null;
        // Device→client frames usually start with a return code; some (tuyapi's stub, 3.1
        // broadcasts) do not. Like tuyapi, a first word with its top 24 bits clear is a return code.
        if (fromDevice && body.Length >= 4 && (BinaryPrimitives.ReadUInt32BigEndian(body) & 0xFFFFFF00) == 0)
        {
            returnCode = BinaryPrimitives.ReadUInt32BigEndian(body);
            body = body[4..];
        }
        frame = new TuyaFrame(sequence, command, returnCode, body);
        return TuyaDecodeStatus.Frame;
    }

    private static bool TryOpenGcm(ReadOnlySpan<byte> whole, ReadOnlySpan<byte> key, out byte[] plain, out string error)
    {
        plain = [];
        if (key.Length != 16) { error = "no 16-byte GCM key"; return false; }
        var iv = whole.Slice(18, GcmIvBytes);
        var cipherLength = whole.Length - 18 - GcmIvBytes - GcmTagBytes - 4;
        var cipher = whole.Slice(18 + GcmIvBytes, cipherLength);
        var tag = whole.Slice(18 + GcmIvBytes + cipherLength, GcmTagBytes);
        plain = new byte[cipherLength];
        try
        {
            using var aes = new AesGcm(key, GcmTagBytes);
            aes.Decrypt(iv, cipher, tag, plain, whole[4..18]);
        }
        catch (AuthenticationTagMismatchException)
        {
            error = "GCM tag mismatch";
            plain = [];
            return false;
        }
        error = "";
        return true;
    }

    /// <summary>The sequence number and command of the frame header at the start of
    /// <paramref name="input"/>, without checking anything else.</summary>
    public static bool TryPeekHeader(ReadOnlySpan<byte> input, out uint sequence, out uint command)
    {
        sequence = command = 0;
        if (input.Length < 18) return false;
        var prefix = BinaryPrimitives.ReadUInt32BigEndian(input);
        if (prefix != Prefix55AA && prefix != Prefix6699) return false;
        var gcm = prefix == Prefix6699;
        sequence = BinaryPrimitives.ReadUInt32BigEndian(input[(gcm ? 6 : 4)..]);
        command = BinaryPrimitives.ReadUInt32BigEndian(input[(gcm ? 10 : 8)..]);
        return true;
    }

    private static TuyaDecodeStatus Skip(ReadOnlySpan<byte> input, out int consumed, out string error)
    {
        // Drop up to the next possible prefix; keep a tail that may be the start of one.
        var next = 1;
        for (; next < input.Length; next++)
            if (StartsLikePrefix(input[next..])) break;
        consumed = next;
        error = "bytes that are not a Tuya frame";
        return TuyaDecodeStatus.Invalid;
    }

    private static bool StartsLikePrefix(ReadOnlySpan<byte> s)
    {
        ReadOnlySpan<byte> a = [0, 0, 0x55, 0xAA];
        ReadOnlySpan<byte> b = [0, 0, 0x66, 0x99];
        var n = Math.Min(4, s.Length);
        return s[..n].SequenceEqual(a[..n]) || s[..n].SequenceEqual(b[..n]);
    }
}
