using System.Net.WebSockets;
using StackExchange.Redis;

namespace Bridge.Relay.Backplane.Redis;

/// <summary>One client session's way to a bridge linked to another node: its envelopes go to that
/// node's inbox; the answers come back through <see cref="NodeInbox"/> to <see cref="RemoteClients"/>.</summary>
internal sealed class RemoteBridgeRoute(string bridgeId, string owner, string self, RemoteClients clients, NodePublisher publisher) : IBridgeRoute
{
    /// <summary>A client of a bridge whose node stopped answering gets this (1012, service restart):
    /// reconnecting finds the bridge wherever it has linked since.</summary>
    public const WebSocketCloseStatus Moved = (WebSocketCloseStatus)1012;

    private readonly RedisChannel _inbox = RedisNames.Inbox(owner);
    private uint _session;

    public uint Attach(IRelayedSession session) => _session = clients.Add(session, bridgeId, owner);

    public void Detach(uint session) => clients.Remove(session);

    public ValueTask SendAsync(byte[] envelope, CancellationToken ct) =>
        publisher.PublishAsync(_inbox, NodeMessage.ForBridge(self, bridgeId, envelope), Lost, ct);

    public ValueTask SendAsync(RelayedFrame envelope, CancellationToken ct)
    {
        // The node message is a copy of its own, so the pooled frame goes back at once.
        var message = NodeMessage.ForBridge(self, bridgeId, envelope.Memory.Span);
        envelope.Release();
        return publisher.PublishAsync(_inbox, message, Lost, ct);
    }

    public bool TrySend(byte[] envelope) => publisher.TryPublish(_inbox, NodeMessage.ForBridge(self, bridgeId, envelope), Lost);

    private void Lost() => clients.Close(_session, Moved, "the bridge's relay node cannot be reached; reconnect");
}
