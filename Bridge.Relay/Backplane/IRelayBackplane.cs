using System.Security.Cryptography;

namespace Bridge.Relay.Backplane;

/// <summary>What relay nodes share: each bridge id's public key (the first key registered for an id
/// wins, so an id cannot be taken over), each bridge's revoked token ids, and which node holds which
/// bridge's link. One node keeps it in memory (<see cref="InMemoryBackplane"/>); several nodes share
/// it through Redis (<see cref="Redis.RedisBackplane"/>).</summary>
public interface IRelayBackplane
{
    /// <summary>Registers <paramref name="publicKey"/> for <paramref name="bridgeId"/>; false when
    /// another key holds the id.</summary>
    ValueTask<bool> TryRegisterAsync(string bridgeId, byte[] publicKey);

    /// <summary>The verification key of a bridge, or null when it never connected. Throws
    /// <see cref="BackplaneUnavailableException"/> when it cannot tell.</summary>
    ValueTask<ECDsa?> GetKeyAsync(string bridgeId);

    /// <summary>Replaces the bridge's list of revoked jtis (on every node).</summary>
    ValueTask SetRevokedAsync(string bridgeId, IReadOnlyCollection<string> jtis);

    bool IsRevoked(string bridgeId, string jti);

    /// <summary>This node now holds the bridge's link (best effort: kept up while the link lives).</summary>
    ValueTask LinkedAsync(string bridgeId);

    /// <summary>This node's link of the bridge ended.</summary>
    ValueTask UnlinkedAsync(string bridgeId);

    /// <summary>A route to the bridge through the node that holds its link, or null when no other node
    /// does. Throws <see cref="BackplaneUnavailableException"/> when it cannot tell.</summary>
    ValueTask<IBridgeRoute?> FindRemoteAsync(string bridgeId);
}
