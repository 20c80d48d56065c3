using System.Numerics;
using System.Security.Cryptography;

namespace Bridge.Protocols.EspProv;

/// <summary>SRP-6a arithmetic with the group and hash as parameters, in the variant ESP-IDF
/// security 2 uses (protocol digest, "Security 2"): x = H(s | H(I ":" p)), k = H(N | pad(g)),
/// u = H(pad(A) | pad(B)), K = H(S), M1 = H(H(N) xor H(pad(g)) | H(I) | s | A | B | K),
/// M2 = H(A | M1 | K); numbers unsigned big-endian, minimal length unless padded to len(N).
/// Pure functions: the client and device sessions hold the state.</summary>
public sealed class Srp6a(SrpGroup group, HashAlgorithmName hash)
{
    public SrpGroup Group => group;

    public static Srp6a EspIdf { get; } = new(SrpGroup.Rfc5054Bits3072, HashAlgorithmName.SHA512);

    public BigInteger K => field == default ? field = Number(Hash(Bytes(group.N), Pad(group.G))) : field;

    /// <summary>x = H(s | H(I ":" p)). Like ESP-IDF's own tool (which made the verifiers devices
    /// store), the inner digest is taken as a number, so its leading zero bytes do not count.</summary>
    public BigInteger X(ReadOnlySpan<byte> salt, string username, string password)
    {
        var inner = Hash(System.Text.Encoding.UTF8.GetBytes(username + ":" + password));
        return Number(Hash(Bytes(Number(salt)), Bytes(Number(inner))));
    }

    public BigInteger Verifier(ReadOnlySpan<byte> salt, string username, string password) =>
        BigInteger.ModPow(group.G, X(salt, username, password), group.N);

    /// <summary>A = g^a mod N.</summary>
    public BigInteger ClientPublic(BigInteger a) => BigInteger.ModPow(group.G, a, group.N);

    /// <summary>B = (k·v + g^b) mod N.</summary>
    public BigInteger DevicePublic(BigInteger b, BigInteger v) => (K * v + BigInteger.ModPow(group.G, b, group.N)) % group.N;

    public BigInteger U(BigInteger a, BigInteger b) => Number(Hash(Pad(a), Pad(b)));

    /// <summary>The client's S = (B − k·g^x)^(a + u·x) mod N.</summary>
    public BigInteger ClientSecret(BigInteger bPublic, BigInteger x, BigInteger a, BigInteger u)
    {
        var n = group.N;
        var baseValue = ((bPublic - K * BigInteger.ModPow(group.G, x, n)) % n + n) % n;
        return BigInteger.ModPow(baseValue, a + u * x, n);
    }

    /// <summary>The device's S = (A · v^u)^b mod N.</summary>
    public BigInteger DeviceSecret(BigInteger aPublic, BigInteger v, BigInteger u, BigInteger b) =>
        BigInteger.ModPow(aPublic * BigInteger.ModPow(v, u, group.N) % group.N, b, group.N);

    /// <summary>K = H(S), the whole digest (ESP-IDF takes its first 32 bytes as the AES key).</summary>
    public byte[] SessionKey(BigInteger s) => Hash(Bytes(s));

    public byte[] ClientProof(string username, ReadOnlySpan<byte> salt, BigInteger a, BigInteger b, ReadOnlySpan<byte> key)
    {
        var hn = Hash(Bytes(group.N));
        var hg = Hash(Pad(group.G));
        for (var i = 0; i < hn.Length; i++) hn[i] ^= hg[i];
        return Hash(hn, Hash(System.Text.Encoding.UTF8.GetBytes(username)), Bytes(Number(salt)), Bytes(a), Bytes(b), key.ToArray());
    }

    public byte[] DeviceProof(BigInteger a, ReadOnlySpan<byte> clientProof, ReadOnlySpan<byte> key) =>
        Hash(Bytes(a), clientProof.ToArray(), key.ToArray());

    /// <summary>A secret exponent of <paramref name="bytes"/> random bytes with its top bit set (as esp_prov does).</summary>
    public static BigInteger RandomSecret(int bytes = 32)
    {
        var r = RandomNumberGenerator.GetBytes(bytes);
        r[0] |= 0x80;
        return Number(r);
    }

    public byte[] Pad(BigInteger value)
    {
        var bytes = Bytes(value);
        if (bytes.Length >= group.Length) return bytes;
        var padded = new byte[group.Length];
        bytes.CopyTo(padded, group.Length - bytes.Length);
        return padded;
    }

    public static byte[] Bytes(BigInteger value) => value.IsZero ? [0] : value.ToByteArray(isUnsigned: true, isBigEndian: true);

    public static BigInteger Number(ReadOnlySpan<byte> bytes) => new(bytes, isUnsigned: true, isBigEndian: true);

    public byte[] Hash(params byte[][] parts)
    {
        using var h = IncrementalHash.CreateHash(hash);
        foreach (var p in parts) h.AppendData(p);
        return h.GetHashAndReset();
    }
}
