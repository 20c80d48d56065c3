using System.Collections.Concurrent;
using System.Collections.Frozen;
using System.Security.Cryptography;

namespace Bridge.Relay.Backplane;

/// <summary>The one-node backplane. Registered keys live as long as the process: a restarted relay
/// learns each key again when its bridge reconnects (and clients get 404 until then).</summary>
public sealed class InMemoryBackplane : IRelayBackplane
{
    private sealed record Entry(byte[] PublicKey, ECDsa Key)
    {
        public volatile FrozenSet<string> Revoked = FrozenSet<string>.Empty;
    }

    private readonly ConcurrentDictionary<string, Entry> _bridges = new(StringComparer.Ordinal);

    public ValueTask<bool> TryRegisterAsync(string bridgeId, byte[] publicKey)
    {
        var entry = _bridges.GetOrAdd(bridgeId, static (id, key) =>
        {
            var ecdsa = ECDsa.Create();
            ecdsa.ImportSubjectPublicKeyInfo(key, out _);
            return new Entry(key, ecdsa);
        }, publicKey);
        return ValueTask.FromResult(CryptographicOperations.FixedTimeEquals(entry.PublicKey, publicKey));
    }

    public ValueTask<ECDsa?> GetKeyAsync(string bridgeId) =>
        ValueTask.FromResult(_bridges.TryGetValue(bridgeId, out var entry) ? entry.Key : null);

    public ValueTask SetRevokedAsync(string bridgeId, IReadOnlyCollection<string> jtis)
    {
        if (_bridges.TryGetValue(bridgeId, out var entry)) entry.Revoked = jtis.ToFrozenSet(StringComparer.Ordinal);
        return ValueTask.CompletedTask;
    }

    public bool IsRevoked(string bridgeId, string jti) =>
        _bridges.TryGetValue(bridgeId, out var entry) && entry.Revoked.Contains(jti);
}
