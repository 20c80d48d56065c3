using System.Security.Cryptography;

namespace Bridge.Protocols.EspProv;

/// <summary>AES-256-CTR as security 1 uses it: one keystream, started at the device's random
/// (the IV), consumed by both directions in the order the bytes pass, for the whole session
/// (protocol digest, "Security 1"). Both ends therefore call <see cref="Encrypt"/> and
/// <see cref="Decrypt"/> in the same order. The BCL has AES but no CTR mode; the counter is
/// the whole 16-byte block, big-endian, as in mbedTLS and esp_prov.</summary>
public sealed class AesCtrStream : IEspProvCipher, IDisposable
{
    private readonly Aes _aes = Aes.Create();
    private readonly byte[] _counter = new byte[16];
    private readonly byte[] _block = new byte[16];
    private int _used = 16;

    public AesCtrStream(ReadOnlySpan<byte> key, ReadOnlySpan<byte> iv)
    {
        if (key.Length != 32) throw new EspProvException("the security 1 key must be 32 bytes");
        if (iv.Length != 16) throw new EspProvException($"the device's random (the IV) must be 16 bytes, not {iv.Length}");
        _aes.Key = key.ToArray();
        iv.CopyTo(_counter);
    }

    public byte[] Encrypt(ReadOnlySpan<byte> plain) => Apply(plain);

    public byte[] Decrypt(ReadOnlySpan<byte> data) => Apply(data);

    private byte[] Apply(ReadOnlySpan<byte> input)
    {
        var output = new byte[input.Length];
        for (var i = 0; i < input.Length; i++)
        {
            if (_used == 16)
            {
                _aes.EncryptEcb(_counter, _block, PaddingMode.None);
                for (var j = 15; j >= 0 && ++_counter[j] == 0; j--) { }
                _used = 0;
            }
            output[i] = (byte)(input[i] ^ _block[_used++]);
        }
        return output;
    }

    public void Dispose() => _aes.Dispose();
}
