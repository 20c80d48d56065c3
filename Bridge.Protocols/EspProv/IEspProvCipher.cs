namespace Bridge.Protocols.EspProv;

/// <summary>What a provisioning session does to every endpoint body after its handshake
/// (everything but <c>proto-ver</c>): plaintext for security 0, AES-256-CTR for 1, AES-256-GCM for 2.</summary>
public interface IEspProvCipher
{
    byte[] Encrypt(ReadOnlySpan<byte> plain);

    /// <summary>The plaintext; an <see cref="EspProvException"/> when the data fails its integrity check.</summary>
    byte[] Decrypt(ReadOnlySpan<byte> data);
}

/// <summary>Security 0: bodies travel as they are.</summary>
public sealed class PlainCipher : IEspProvCipher
{
    public static readonly PlainCipher Instance = new();

    public byte[] Encrypt(ReadOnlySpan<byte> plain) => plain.ToArray();

    public byte[] Decrypt(ReadOnlySpan<byte> data) => data.ToArray();
}
