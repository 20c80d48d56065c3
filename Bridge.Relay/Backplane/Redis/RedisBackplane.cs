using System.Net.WebSockets;
using System.Security.Cryptography;
using Bridge.Relay.Links;
using StackExchange.Redis;

namespace Bridge.Relay.Backplane.Redis;

/// <summary>The backplane of several nodes. Redis holds each bridge's public key (set once, never
/// replaced), its revoked jtis (pushed to every node as they change), and which node holds its link
/// (a key with expiry, refreshed by <see cref="BackplaneKeeper"/>). This node caches keys and
/// revocations, so bridges and tokens it has seen keep working while Redis is away.</summary>
public sealed class RedisBackplane : IRelayBackplane
{
    private const string ReleaseIfMine = "if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end return 0";

    private readonly RedisNode _node;
    private readonly BridgeDirectory _directory;
    private readonly LinkRegistry _links;
    private readonly RemoteClients _clients;
    private readonly NodePublisher _publisher;
    private readonly ILogger<RedisBackplane> _log;

    public RedisBackplane(RedisNode node, BridgeDirectory directory, LinkRegistry links, RemoteClients clients, NodePublisher publisher, ILogger<RedisBackplane> log)
    {
        _node = node;
        _directory = directory;
        _links = links;
        _clients = clients;
        _publisher = publisher;
        _log = log;
    }

    public async ValueTask<bool> TryRegisterAsync(string bridgeId, byte[] publicKey)
    {
        if (_directory.Contains(bridgeId)) return _directory.TryAdd(bridgeId, publicKey);
        try
        {
            var stored = await RegisterAsync(bridgeId, publicKey).ConfigureAwait(false);
            _directory.TryAdd(bridgeId, stored);
        }
        catch (BackplaneUnavailableException e)
        {
            // A bridge id is derived from its key, so another key for it needs a hash collision: serve
            // the bridge here now and check with Redis when it is back (BackplaneKeeper re-asserts).
            _log.LogWarning("Bridge {BridgeId} accepted before Redis could confirm its key: {Reason}", bridgeId, e.Message);
        }
        return _directory.TryAdd(bridgeId, publicKey);
    }

    /// <summary>Sets the id's key unless one is there; returns the key Redis holds for the id.</summary>
    internal async Task<byte[]> RegisterAsync(string bridgeId, byte[] publicKey)
    {
        var key = RedisNames.PublicKey(bridgeId);
        await _node.CallAsync(db => db.StringSetAsync(key, publicKey, when: When.NotExists)).ConfigureAwait(false);
        byte[]? stored = await _node.CallAsync(db => db.StringGetAsync(key)).ConfigureAwait(false);
        return stored ?? throw new BackplaneUnavailableException("Redis lost the key it was just given");
    }

    public async ValueTask<ECDsa?> GetKeyAsync(string bridgeId)
    {
        if (_directory.Key(bridgeId) is { } known) return known;
        byte[]? stored = await _node.CallAsync(db => db.StringGetAsync(RedisNames.PublicKey(bridgeId))).ConfigureAwait(false);
        if (stored is null) return null;
        string? revoked = await _node.CallAsync(db => db.StringGetAsync(RedisNames.Revoked(bridgeId))).ConfigureAwait(false);
        if (revoked is not null) _directory.SetRevoked(bridgeId, revoked.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        _directory.TryAdd(bridgeId, stored);
        return _directory.Key(bridgeId);
    }

    public async ValueTask SetRevokedAsync(string bridgeId, IReadOnlyCollection<string> jtis)
    {
        _directory.SetRevoked(bridgeId, jtis);
        try
        {
            await PublishRevokedAsync(bridgeId).ConfigureAwait(false);
        }
        catch (BackplaneUnavailableException e)
        {
            // Enforced here already; the keeper pushes it to the others when Redis is back.
            _log.LogWarning("Revocations of bridge {BridgeId} not shared yet: {Reason}", bridgeId, e.Message);
        }
    }

    /// <summary>Stores the bridge's revocation list and tells every node.</summary>
    internal async Task PublishRevokedAsync(string bridgeId)
    {
        var jtis = _directory.Revoked(bridgeId);
        await _node.CallAsync(db => db.StringSetAsync(RedisNames.Revoked(bridgeId), string.Join('\n', jtis))).ConfigureAwait(false);
        await _node.CallAsync(db => db.PublishAsync(RedisNames.Revocations, NodeInbox.RevocationMessage(bridgeId, jtis))).ConfigureAwait(false);
    }

    public bool IsRevoked(string bridgeId, string jti) => _directory.IsRevoked(bridgeId, jti);

    public async ValueTask LinkedAsync(string bridgeId)
    {
        // Sessions that reached this bridge through another node are dead: that link is gone.
        _clients.CloseWhere(e => e.BridgeId == bridgeId, RemoteBridgeRoute.Moved, "the bridge moved to another relay node; reconnect");
        try
        {
            await _node.CallAsync(db => db.StringSetAsync(RedisNames.Owner(bridgeId), _node.NodeId, _node.OwnershipTtl)).ConfigureAwait(false);
        }
        catch (BackplaneUnavailableException e)
        {
            _log.LogWarning("Bridge {BridgeId} linked, but other nodes cannot see it yet: {Reason}", bridgeId, e.Message);
        }
    }

    public async ValueTask UnlinkedAsync(string bridgeId)
    {
        if (_links.Find(bridgeId) is not null) return; // a newer link replaced this one
        try
        {
            await _node.CallAsync(db => db.ScriptEvaluateAsync(ReleaseIfMine, [RedisNames.Owner(bridgeId)], [_node.NodeId])).ConfigureAwait(false);
        }
        catch (BackplaneUnavailableException)
        {
            // The key expires by itself.
        }
    }

    public async ValueTask<IBridgeRoute?> FindRemoteAsync(string bridgeId)
    {
        string? owner = await _node.CallAsync(db => db.StringGetAsync(RedisNames.Owner(bridgeId))).ConfigureAwait(false);
        if (owner is null || owner == _node.NodeId) return null;
        return new RemoteBridgeRoute(bridgeId, owner, _node.NodeId, _clients, _publisher);
    }

    /// <summary>Closes this node's cross-node client sessions (Redis went away: frames may be lost).</summary>
    internal void CloseRemoteClients(string reason) =>
        _clients.CloseWhere(_ => true, (WebSocketCloseStatus)1013, reason);
}
