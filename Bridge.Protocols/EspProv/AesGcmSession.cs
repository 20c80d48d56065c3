using System.Buffers.Binary;
using System.Security.Cryptography;

namespace Bridge.Protocols.EspProv;

/// <summary>AES-256-GCM as security 2 uses it: key = the first 32 bytes of the SRP session key,
/// nonce = the device's 12-byte nonce, the 16-byte tag after the ciphertext. With
/// <c>sec_patch_ver</c> 1 the nonce's last 4 bytes are a big-endian counter that both ends
/// advance after every successful encrypt and decrypt, so no nonce is used twice (protocol
/// digest, "Security 2"); with 0 the nonce stays the same.</summary>
public sealed class AesGcmSession : IEspProvCipher, IDisposable
{
    public const int TagLength = 16;

    private readonly AesGcm _gcm;
    private readonly byte[] _nonce;
    private readonly bool _counting;

    public AesGcmSession(ReadOnlySpan<byte> sessionKey, ReadOnlySpan<byte> nonce, int patchVersion)
    {
        if (sessionKey.Length < 32) throw new EspProvException("the security 2 session key is shorter than 32 bytes");
        if (nonce.Length != 12) throw new EspProvException($"the device's nonce must be 12 bytes, not {nonce.Length}");
        _gcm = new AesGcm(sessionKey[..32], TagLength);
        _nonce = nonce.ToArray();
        _counting = patchVersion >= 1;
    }

    public byte[] Encrypt(ReadOnlySpan<byte> plain)
    {
        var output = new byte[plain.Length + TagLength];
        _gcm.Encrypt(_nonce, plain, output.AsSpan(0, plain.Length), output.AsSpan(plain.Length));
        Advance();
        return output;
    }

    public byte[] Decrypt(ReadOnlySpan<byte> data)
    {
        if (data.Length < TagLength) throw new EspProvException($"an encrypted message of {data.Length} bytes is shorter than its 16-byte tag");
        var plain = new byte[data.Length - TagLength];
        try
        {
            _gcm.Decrypt(_nonce, data[..plain.Length], data[plain.Length..], plain);
        }
        catch (AuthenticationTagMismatchException e)
        {
            throw new EspProvException("an encrypted message failed its integrity check (altered in transit, or the two ends' message counts differ)", e);
        }
        Advance();
        return plain;
    }

    private void Advance()
    {
        if (!_counting) return;
        var counter = BinaryPrimitives.ReadUInt32BigEndian(_nonce.AsSpan(8));
        if (counter == uint.MaxValue) throw new EspProvException("the session's message counter ran out; start a new session");
        BinaryPrimitives.WriteUInt32BigEndian(_nonce.AsSpan(8), counter + 1);
    }

    public void Dispose() => _gcm.Dispose();
}
