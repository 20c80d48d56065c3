using System.Collections.Concurrent;
using System.Collections.Frozen;
using System.Security.Cryptography;

namespace Bridge.Relay.Backplane;

/// <summary>This node's view of each bridge's public key and revoked token ids. The in-memory
/// backplane keeps its only copy here; the Redis backplane keeps a cache of what Redis holds, which
/// is safe because a bridge id's key never changes once registered.</summary>
public sealed class BridgeDirectory
{
    private sealed record Entry(byte[] PublicKey, ECDsa Key);

    private readonly ConcurrentDictionary<string, Entry> _keys = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, FrozenSet<string>> _revoked = new(StringComparer.Ordinal);

    /// <summary>Keeps <paramref name="publicKey"/> for the id unless one is there already; true when
    /// the id's key is <paramref name="publicKey"/>.</summary>
    public bool TryAdd(string bridgeId, byte[] publicKey)
    {
        var entry = _keys.GetOrAdd(bridgeId, static (id, key) =>
        {
            var ecdsa = ECDsa.Create();
            ecdsa.ImportSubjectPublicKeyInfo(key, out _);
            return new Entry(key, ecdsa);
        }, publicKey);
        return CryptographicOperations.FixedTimeEquals(entry.PublicKey, publicKey);
    }

    public void Forget(string bridgeId) => _keys.TryRemove(bridgeId, out _);

    public bool Contains(string bridgeId) => _keys.ContainsKey(bridgeId);

    public ECDsa? Key(string bridgeId) => _keys.TryGetValue(bridgeId, out var entry) ? entry.Key : null;

    /// <summary>Every known id with its SubjectPublicKeyInfo.</summary>
    public IEnumerable<(string BridgeId, byte[] PublicKey)> PublicKeys => _keys.Select(p => (p.Key, p.Value.PublicKey));

    public void SetRevoked(string bridgeId, IEnumerable<string> jtis) =>
        _revoked[bridgeId] = jtis.ToFrozenSet(StringComparer.Ordinal);

    public IReadOnlyCollection<string> Revoked(string bridgeId) =>
        _revoked.TryGetValue(bridgeId, out var set) ? set : FrozenSet<string>.Empty;

    public bool IsRevoked(string bridgeId, string jti) => _revoked.TryGetValue(bridgeId, out var set) && set.Contains(jti);
}
