using System.Security.Cryptography;
using System.Text;

namespace Bridge.Protocols.Tuya;

/// <summary>Tuya's keys: the local key's rules, the broadcast key, and the 3.4/3.5 session-key
/// handshake (PROTOCOLS.md §10.1). BCL primitives only.</summary>
public static class TuyaKeys
{
    public const int KeyBytes = 16;

    /// <summary>MD5("yGAdlopoPVldABfn"): the key of every 3.3+ discovery broadcast.</summary>
    public static ReadOnlySpan<byte> UdpKey => UdpKeyBytes;
    private static readonly byte[] UdpKeyBytes = MD5.HashData("yGAdlopoPVldABfn"u8);

    /// <summary>The local key is 16 characters used as the AES key bytes; newer keys contain
    /// punctuation, so it is opaque text. Null (with the reason) when it cannot be one.</summary>
    public static byte[]? TryParseLocalKey(string? text, out string error)
    {
        error = "";
        if (string.IsNullOrEmpty(text)) { error = "the local key is empty"; return null; }
        var bytes = Encoding.UTF8.GetBytes(text);
        if (bytes.Length != KeyBytes || text.Length != KeyBytes)
        {
            error = $"a Tuya local key is 16 ASCII characters, this one has {text.Length}";
            return null;
        }
        foreach (var b in bytes)
            if (b is < 0x21 or > 0x7E) { error = "a Tuya local key has only printable ASCII characters (no spaces)"; return null; }
        return bytes;
    }

    /// <summary>A fresh 16-byte nonce for the handshake.</summary>
    public static byte[] NewNonce() => RandomNumberGenerator.GetBytes(KeyBytes);

    /// <summary>The device's answer to START: its nonce ‖ HMAC-SHA256(localKey, clientNonce).</summary>
    public static byte[] HandshakeResponse(ReadOnlySpan<byte> localKey, ReadOnlySpan<byte> clientNonce, ReadOnlySpan<byte> deviceNonce)
    {
        var r = new byte[48];
        deviceNonce.CopyTo(r);
        HMACSHA256.HashData(localKey, clientNonce, r.AsSpan(16));
        return r;
    }

    /// <summary>Checks the device's answer to START; false when its HMAC was not made with our key
    /// (the key is wrong).</summary>
    public static bool TryReadHandshakeResponse(ReadOnlySpan<byte> localKey, ReadOnlySpan<byte> clientNonce, ReadOnlySpan<byte> response, out byte[] deviceNonce)
    {
        deviceNonce = [];
        if (response.Length < 48) return false;
        Span<byte> mac = stackalloc byte[32];
        HMACSHA256.HashData(localKey, clientNonce, mac);
        if (!CryptographicOperations.FixedTimeEquals(mac, response.Slice(16, 32))) return false;
        deviceNonce = response[..16].ToArray();
        return true;
    }

    /// <summary>The client's FINISH payload: HMAC-SHA256(localKey, deviceNonce).</summary>
    public static byte[] HandshakeFinish(ReadOnlySpan<byte> localKey, ReadOnlySpan<byte> deviceNonce) => HMACSHA256.HashData(localKey, deviceNonce);

    /// <summary>Checks the client's FINISH (device side).</summary>
    public static bool CheckFinish(ReadOnlySpan<byte> localKey, ReadOnlySpan<byte> deviceNonce, ReadOnlySpan<byte> finish)
    {
        if (finish.Length < 32) return false;
        Span<byte> mac = stackalloc byte[32];
        HMACSHA256.HashData(localKey, deviceNonce, mac);
        return CryptographicOperations.FixedTimeEquals(mac, finish[..32]);
    }

    /// <summary>The session key: nonces XORed, then AES-ECB with the local key (3.4), or AES-GCM
    /// with the local key and the client nonce's first 12 bytes as IV, keeping the ciphertext (3.5).</summary>
    public static byte[] SessionKey(TuyaVersion version, ReadOnlySpan<byte> localKey, ReadOnlySpan<byte> clientNonce, ReadOnlySpan<byte> deviceNonce)
    {
        Span<byte> xor = stackalloc byte[KeyBytes];
        for (var i = 0; i < KeyBytes; i++) xor[i] = (byte)(clientNonce[i] ^ deviceNonce[i]);
        var key = new byte[KeyBytes];
        if (version == TuyaVersion.V35)
        {
            Span<byte> tag = stackalloc byte[16];
            using var gcm = new AesGcm(localKey, 16);
            gcm.Encrypt(clientNonce[..12], xor, key, tag);
        }
        else
        {
            using var aes = Aes.Create();
            aes.Key = localKey.ToArray();
            aes.EncryptEcb(xor, key, PaddingMode.None);
        }
        return key;
    }
}
