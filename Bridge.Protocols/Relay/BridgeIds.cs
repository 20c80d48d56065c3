using System.Security.Cryptography;

namespace Bridge.Protocols.Relay;

/// <summary>A bridge id from its public key: 16 lower-case base32 characters of SHA-256 over the
/// SubjectPublicKeyInfo. The bridge and the relay must compute it identically.</summary>
public static class BridgeIds
{
    public static string Of(ReadOnlySpan<byte> publicKey)
    {
        Span<byte> hash = stackalloc byte[32];
        SHA256.HashData(publicKey, hash);
        const string alphabet = "abcdefghijklmnopqrstuvwxyz234567";
        Span<char> id = stackalloc char[16];
        for (var i = 0; i < 16; i++)
        {
            var bit = i * 5;
            var value = ((hash[bit / 8] << 8) | hash[bit / 8 + 1]) >> (11 - bit % 8) & 31;
            id[i] = alphabet[value];
        }
        return new string(id);
    }

    public static bool LooksValid(string id) =>
        id.Length == 16 && id.All(c => c is >= 'a' and <= 'z' or >= '2' and <= '7');
}
