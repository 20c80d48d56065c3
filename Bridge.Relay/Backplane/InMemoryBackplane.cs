using System.Security.Cryptography;

namespace Bridge.Relay.Backplane;

/// <summary>The one-node backplane. Registered keys live as long as the process: a restarted relay
/// learns each key again when its bridge reconnects (and clients get 404 until then).</summary>
public sealed class InMemoryBackplane : IRelayBackplane
{
    private readonly BridgeDirectory _directory = new();

    public ValueTask<bool> TryRegisterAsync(string bridgeId, byte[] publicKey) =>
        ValueTask.FromResult(_directory.TryAdd(bridgeId, publicKey));

    public ValueTask<ECDsa?> GetKeyAsync(string bridgeId) => ValueTask.FromResult(_directory.Key(bridgeId));

    public ValueTask SetRevokedAsync(string bridgeId, IReadOnlyCollection<string> jtis)
    {
        if (_directory.Contains(bridgeId)) _directory.SetRevoked(bridgeId, jtis);
        return ValueTask.CompletedTask;
    }

    public bool IsRevoked(string bridgeId, string jti) => _directory.IsRevoked(bridgeId, jti);

    public ValueTask LinkedAsync(string bridgeId) => ValueTask.CompletedTask;

    public ValueTask UnlinkedAsync(string bridgeId) => ValueTask.CompletedTask;

    // One node: a bridge not linked here is linked nowhere.
    public ValueTask<IBridgeRoute?> FindRemoteAsync(string bridgeId) => ValueTask.FromResult<IBridgeRoute?>(null);
}
