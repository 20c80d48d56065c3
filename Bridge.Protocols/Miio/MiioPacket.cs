using System.Buffers;
using System.Buffers.Binary;
using System.Security.Cryptography;

namespace Bridge.Protocols.Miio;

/// <summary>One miIO datagram's header fields and its decrypted JSON body (empty for a hello).</summary>
public readonly record struct MiioPacket(uint Unknown, uint DeviceId, uint Stamp, byte[] Body);

/// <summary>What reading a datagram found.</summary>
public enum MiioDecodeStatus
{
    /// <summary>A hello or hello answer (32 bytes, no body).</summary>
    Hello,
    /// <summary>A packet whose checksum matched the token and whose body decrypted.</summary>
    Packet,
    /// <summary>Not miIO, truncated, or the checksum failed (wrong token).</summary>
    Invalid,
}

/// <summary>The miIO packet codec (PROTOCOLS.md §10.2): a 32-byte big-endian header (magic 0x2131,
/// length, unknown, device id, stamp, MD5 checksum over header ‖ token ‖ ciphertext) and an
/// AES-128-CBC body with key = MD5(token), iv = MD5(key ‖ token). BCL primitives only; reading never
/// throws.</summary>
public static class MiioPacketCodec
{
    public const int Port = 54321;
    public const int HeaderBytes = 32;
    public const int TokenBytes = 16;
    public const int MaxDatagramBytes = 16 * 1024;
    private const ushort Magic = 0x2131;

    /// <summary>The hello: <c>21310020</c> followed by 28 × <c>FF</c>.</summary>
    public static byte[] Hello()
    {
        var hello = new byte[HeaderBytes];
        hello.AsSpan().Fill(0xFF);
        BinaryPrimitives.WriteUInt16BigEndian(hello, Magic);
        BinaryPrimitives.WriteUInt16BigEndian(hello.AsSpan(2), HeaderBytes);
        return hello;
    }

    /// <summary>A device's answer to hello: its id and stamp; the checksum field all FF (a
    /// provisioned device never reveals its token).</summary>
    public static byte[] HelloAnswer(uint deviceId, uint stamp)
    {
        var answer = new byte[HeaderBytes];
        BinaryPrimitives.WriteUInt16BigEndian(answer, Magic);
        BinaryPrimitives.WriteUInt16BigEndian(answer.AsSpan(2), HeaderBytes);
        BinaryPrimitives.WriteUInt32BigEndian(answer.AsSpan(8), deviceId);
        BinaryPrimitives.WriteUInt32BigEndian(answer.AsSpan(12), stamp);
        answer.AsSpan(16).Fill(0xFF);
        return answer;
    }

    /// <summary>Parses a 32-hex-digit token; null (with the reason, never echoing it) otherwise.</summary>
    public static byte[]? TryParseToken(string? text, out string error)
    {
        error = "";
        var t = text?.Trim() ?? "";
        if (t.Length != 32 || !t.All(char.IsAsciiHexDigit))
        {
            error = $"a miIO token is 32 hex digits, this one has {t.Length} characters{(t.All(char.IsAsciiHexDigit) ? "" : " and not all hex")}";
            return null;
        }
        return Convert.FromHexString(t);
    }

    public static void Write(IBufferWriter<byte> output, ReadOnlySpan<byte> token, uint deviceId, uint stamp, ReadOnlySpan<byte> json)
    {
        var (key, iv) = Keys(token);
        byte[] cipher;
        using (var aes = Aes.Create())
        {
            aes.Key = key;
            cipher = aes.EncryptCbc(json, iv, PaddingMode.PKCS7);
        }
        var total = HeaderBytes + cipher.Length;
        var span = output.GetSpan(total)[..total];
        BinaryPrimitives.WriteUInt16BigEndian(span, Magic);
        BinaryPrimitives.WriteUInt16BigEndian(span[2..], (ushort)total);
        BinaryPrimitives.WriteUInt32BigEndian(span[4..], 0);
        BinaryPrimitives.WriteUInt32BigEndian(span[8..], deviceId);
        BinaryPrimitives.WriteUInt32BigEndian(span[12..], stamp);
        cipher.CopyTo(span[HeaderBytes..]);
        Checksum(span[..16], token, cipher, span.Slice(16, 16));
        output.Advance(total);
    }

    /// <summary>Reads a datagram. <paramref name="token"/> may be empty to read only hellos.</summary>
    public static MiioDecodeStatus TryRead(ReadOnlySpan<byte> datagram, ReadOnlySpan<byte> token, out MiioPacket packet, out string error)
    {
        packet = default;
        error = "";
        if (datagram.Length < HeaderBytes || datagram.Length > MaxDatagramBytes) { error = $"a datagram of {datagram.Length} bytes is not miIO"; return MiioDecodeStatus.Invalid; }
        if (BinaryPrimitives.ReadUInt16BigEndian(datagram) != Magic) { error = "no miIO magic"; return MiioDecodeStatus.Invalid; }
        var length = BinaryPrimitives.ReadUInt16BigEndian(datagram[2..]);
        if (length != datagram.Length) { error = $"the header says {length} bytes, the datagram has {datagram.Length}"; return MiioDecodeStatus.Invalid; }
        var unknown = BinaryPrimitives.ReadUInt32BigEndian(datagram[4..]);
        var id = BinaryPrimitives.ReadUInt32BigEndian(datagram[8..]);
        var stamp = BinaryPrimitives.ReadUInt32BigEndian(datagram[12..]);
        if (length == HeaderBytes)
        {
            packet = new MiioPacket(unknown, id, stamp, []);
            return MiioDecodeStatus.Hello;
        }
        if (token.Length != TokenBytes) { error = "no token to read an encrypted packet"; return MiioDecodeStatus.Invalid; }
        var cipher = datagram[HeaderBytes..];
        Span<byte> sum = stackalloc byte[16];
        Checksum(datagram[..16], token, cipher, sum);
        if (!CryptographicOperations.FixedTimeEquals(sum, datagram.Slice(16, 16))) { error = "checksum mismatch (wrong token?)"; return MiioDecodeStatus.Invalid; }
        if (cipher.Length % 16 != 0) { error = "a body that is not whole AES blocks"; return MiioDecodeStatus.Invalid; }
        var (key, iv) = Keys(token);
        try
        {
            using var aes = Aes.Create();
            aes.Key = key;
            packet = new MiioPacket(unknown, id, stamp, aes.DecryptCbc(cipher, iv, PaddingMode.PKCS7));
            return MiioDecodeStatus.Packet;
        }
        catch (CryptographicException)
        {
            error = "the body does not decrypt";
            return MiioDecodeStatus.Invalid;
        }
    }

    private static (byte[] Key, byte[] Iv) Keys(ReadOnlySpan<byte> token)
    {
        var key = MD5.HashData(token);
        Span<byte> both = stackalloc byte[32];
        key.CopyTo(both);
        token.CopyTo(both[16..]);
        return (key, MD5.HashData(both));
    }

    private static void Checksum(ReadOnlySpan<byte> header16, ReadOnlySpan<byte> token, ReadOnlySpan<byte> cipher, Span<byte> into)
    {
        using var md5 = IncrementalHash.CreateHash(HashAlgorithmName.MD5);
        md5.AppendData(header16);
        md5.AppendData(token);
        md5.AppendData(cipher);
        md5.GetHashAndReset(into);
    }
}
