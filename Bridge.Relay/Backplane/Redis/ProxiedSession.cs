using System.Net.WebSockets;
using Bridge.Protocols.Relay;
using Bridge.Relay.Links;
using StackExchange.Redis;

namespace Bridge.Relay.Backplane.Redis;

/// <summary>On the node holding a bridge's link: a session whose client is on another node. The
/// bridge's frames for it are published to that node's inbox; nothing here ever waits, so a slow
/// or vanished node costs its own sessions and never the link's other sessions.</summary>
internal sealed class ProxiedSession : IRelayedSession
{
    private readonly NodePublisher _publisher;
    private readonly ProxiedSessions _table;
    private readonly RedisChannel _origin;

    public ProxiedSession(string originNode, uint originSession, BridgeLink link, NodePublisher publisher, ProxiedSessions table)
    {
        OriginNode = originNode;
        OriginSession = originSession;
        Link = link;
        _publisher = publisher;
        _table = table;
        _origin = RedisNames.Inbox(originNode);
    }

    public string OriginNode { get; }
    public uint OriginSession { get; }
    public BridgeLink Link { get; }
    public uint LinkSession { get; set; }

    public bool Offer(ReadOnlySpan<byte> frame, long receivedAt) =>
        _publisher.TryPublish(_origin, NodeMessage.ForClient(EnvelopeKind.Text, OriginSession, frame), Abandon);

    public void CloseFromBridge(WebSocketCloseStatus status, string reason)
    {
        if (_table.TryRemove(this))
            _publisher.TryPublish(_origin, NodeMessage.ForClient(RelayEnvelope.Close(OriginSession, (ushort)status, reason)), null);
    }

    /// <summary>The client's node is gone (or Redis is): end the session at the bridge.</summary>
    public void Abandon() => EndAtBridge("the client's relay node went away");

    /// <summary>The link's queue is full: end the session both ways rather than wait.</summary>
    public void Overflowed()
    {
        EndAtBridge("relayed client dropped: the link is busy");
        _publisher.TryPublish(_origin, NodeMessage.ForClient(RelayEnvelope.Close(OriginSession, 1013, "the bridge is busy; try again")), null);
    }

    private void EndAtBridge(string reason)
    {
        if (!_table.TryRemove(this)) return;
        Link.Detach(LinkSession);
        Link.TrySend(RelayEnvelope.Close(LinkSession, 1001, reason));
    }
}
