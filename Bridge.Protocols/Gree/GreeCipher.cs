using System.Security.Cryptography;
using System.Text;

namespace Bridge.Protocols.Gree;

/// <summary>Gree's two ciphers (PROTOCOLS.md §10.3): V1 AES-128-ECB/PKCS#7, V2 (firmware v1.21,
/// v1.23) AES-128-GCM with a fixed nonce and associated data, the tag in the envelope's
/// <c>tag</c>. Keys are 16 ASCII characters: the generic key until bound, then the device's.</summary>
public static class GreeCipher
{
    public const string GenericKeyV1 = "a3K8Bx%2r8Y7#xDh";
    public const string GenericKeyV2 = "{yxAHAY_Lm6pbC/<";

    private static readonly byte[] Nonce = [0x54, 0x40, 0x78, 0x44, 0x49, 0x67, 0x5a, 0x51, 0x6c, 0x5e, 0x63, 0x13];
    private static readonly byte[] Aad = "qualcomm-test"u8.ToArray();

    public static string GenericKey(GreeCipherVersion v) => v == GreeCipherVersion.V2 ? GenericKeyV2 : GenericKeyV1;

    /// <summary>Base64 of the ciphertext; for V2 also the base64 tag.</summary>
    public static (string Pack, string? Tag) Encrypt(GreeCipherVersion version, string key, ReadOnlySpan<byte> json)
    {
        var k = KeyBytes(key);
        if (version == GreeCipherVersion.V1)
        {
            using var aes = Aes.Create();
            aes.Key = k;
            return (Convert.ToBase64String(aes.EncryptEcb(json, PaddingMode.PKCS7)), null);
        }
        var cipher = new byte[json.Length];
        var tag = new byte[16];
        using (var gcm = new AesGcm(k, 16)) gcm.Encrypt(Nonce, json, cipher, tag, Aad);
        return (Convert.ToBase64String(cipher), Convert.ToBase64String(tag));
    }

    /// <summary>Decrypts a pack. False when it is not base64, does not decrypt (wrong key, wrong
    /// cipher) or its GCM tag fails.</summary>
    public static bool TryDecrypt(GreeCipherVersion version, string key, string pack, string? tag, out byte[] json)
    {
        json = [];
        var k = KeyBytes(key);
        if (k.Length != 16) return false;
        try
        {
            var cipher = Convert.FromBase64String(pack);
            if (version == GreeCipherVersion.V1)
            {
                if (cipher.Length == 0 || cipher.Length % 16 != 0) return false;
                using var aes = Aes.Create();
                aes.Key = k;
                json = aes.DecryptEcb(cipher, PaddingMode.PKCS7);
                return true;
            }
            if (tag is null) return false;
            var t = Convert.FromBase64String(tag);
            if (t.Length != 16) return false;
            json = new byte[cipher.Length];
            using var gcm = new AesGcm(k, 16);
            gcm.Decrypt(Nonce, cipher, t, json, Aad);
            return true;
        }
        catch (Exception e) when (e is FormatException or CryptographicException)
        {
            json = [];
            return false;
        }
    }

    private static byte[] KeyBytes(string key) => Encoding.ASCII.GetBytes(key);
}

/// <summary>Which of Gree's ciphers a unit speaks: V1 (ECB) or V2 (GCM, newer firmware).</summary>
public enum GreeCipherVersion
{
    V1,
    V2,
}
