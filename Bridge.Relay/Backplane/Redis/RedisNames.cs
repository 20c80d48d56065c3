using StackExchange.Redis;

namespace Bridge.Relay.Backplane.Redis;

/// <summary>Every Redis key and channel of the relay, built here and nowhere else.</summary>
internal static class RedisNames
{
    private const string Prefix = "devicebridge:relay:";

    /// <summary>A bridge's SubjectPublicKeyInfo; set once (NX), never expires.</summary>
    public static RedisKey PublicKey(string bridgeId) => Prefix + "key:" + bridgeId;

    /// <summary>A bridge's revoked jtis, one per line (ids of tokens, never tokens).</summary>
    public static RedisKey Revoked(string bridgeId) => Prefix + "revoked:" + bridgeId;

    /// <summary>The id of the node holding the bridge's link; expires unless that node refreshes it.</summary>
    public static RedisKey Owner(string bridgeId) => Prefix + "owner:" + bridgeId;

    /// <summary>Exists while the node lives.</summary>
    public static RedisKey NodeAlive(string nodeId) => Prefix + "node:" + nodeId;

    /// <summary>Frames for sessions and links on one node.</summary>
    public static RedisChannel Inbox(string nodeId) => RedisChannel.Literal(Prefix + "inbox:" + nodeId);

    /// <summary>"bridge id\njti\njti…": a bridge's new list of revoked jtis, for every node.</summary>
    public static readonly RedisChannel Revocations = RedisChannel.Literal(Prefix + "revocations");
}
