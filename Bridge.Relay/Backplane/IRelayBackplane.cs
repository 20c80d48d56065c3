using System.Security.Cryptography;

namespace Bridge.Relay.Backplane;

/// <summary>What relay nodes share: each bridge id's public key (the first key registered for an id
/// wins, so an id cannot be taken over) and each bridge's revoked token ids. One node keeps it in
/// memory (<see cref="InMemoryBackplane"/>); several nodes would share it through Redis.</summary>
public interface IRelayBackplane
{
    /// <summary>Registers <paramref name="publicKey"/> for <paramref name="bridgeId"/>; false when
    /// another key holds the id.</summary>
    ValueTask<bool> TryRegisterAsync(string bridgeId, byte[] publicKey);

    /// <summary>The verification key of a bridge, or null when it never connected.</summary>
    ValueTask<ECDsa?> GetKeyAsync(string bridgeId);

    /// <summary>Replaces the bridge's list of revoked jtis.</summary>
    ValueTask SetRevokedAsync(string bridgeId, IReadOnlyCollection<string> jtis);

    bool IsRevoked(string bridgeId, string jti);
}
