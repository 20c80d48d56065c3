using System.Security.Cryptography;
using System.Text.Json;
using Bridge.Service.Data;

namespace Bridge.Service.Security;

/// <summary>The bridge's id and its ECDSA P-256 signing key. The id is derived from the public key,
/// so nobody can claim an id without holding the matching private key.</summary>
public sealed class BridgeIdentity : IDisposable
{
    public const string FileName = "identity.json";

    private BridgeIdentity(ECDsa key)
    {
        Key = key;
        PublicKey = key.ExportSubjectPublicKeyInfo();
        // The relay derives the same id from the same key (BridgeIds): one function for both.
        Id = Bridge.Protocols.Relay.BridgeIds.Of(PublicKey);
    }

    public string Id { get; }
    public ECDsa Key { get; }
    public byte[] PublicKey { get; }

    /// <summary>Loads the identity from <paramref name="dataDir"/>, creating it (mode 0600) on first run.</summary>
    public static BridgeIdentity LoadOrCreate(string dataDir)
    {
        var path = Path.Combine(dataDir, FileName);
        if (File.Exists(path))
        {
            using var doc = JsonDocument.Parse(File.ReadAllBytes(path));
            var key = ECDsa.Create();
            key.ImportPkcs8PrivateKey(Convert.FromBase64String(doc.RootElement.GetProperty("key").GetString()!), out _);
            return new BridgeIdentity(key);
        }
        var created = new BridgeIdentity(ECDsa.Create(ECCurve.NamedCurves.nistP256));
        var buffer = new System.Buffers.ArrayBufferWriter<byte>();
        using (var w = new Utf8JsonWriter(buffer))
        {
            w.WriteStartObject();
            w.WriteString("id", created.Id);
            w.WriteString("key", Convert.ToBase64String(created.Key.ExportPkcs8PrivateKey()));
            w.WriteEndObject();
        }
        SecureFile.WriteAtomically(path, buffer.WrittenSpan, ownerOnly: true);
        return created;
    }

    public void Dispose() => Key.Dispose();
}
