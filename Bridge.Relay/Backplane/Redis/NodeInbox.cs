using System.Diagnostics;
using System.Net.WebSockets;
using System.Text;
using Bridge.Protocols.Relay;
using Bridge.Relay.Links;

namespace Bridge.Relay.Backplane.Redis;

/// <summary>Handles what other nodes send this one, in arrival order and without ever waiting:
/// envelopes for bridges linked here (from clients on other nodes), answers for clients here (from
/// bridges on other nodes), and revocation lists.</summary>
internal sealed class NodeInbox(RedisNode node, LinkRegistry links, RemoteClients clients, ProxiedSessions proxies,
    NodePublisher publisher, BridgeDirectory directory, BackplaneMetrics metrics, ILogger<NodeInbox> log)
{
    public void Handle(ReadOnlySpan<byte> message)
    {
        metrics.Received();
        if (NodeMessage.TryReadForBridge(message, out var origin, out var bridgeId, out var envelope)) ToBridge(origin, bridgeId, envelope);
        else if (message.Length > RelayEnvelope.HeaderBytes && message[0] == NodeMessage.ForClientType) ToClient(message[1..]);
        else log.LogWarning("Unreadable frame from another relay node ({Length} bytes) ignored", message.Length);
    }

    /// <summary>"bridge id\njti\njti…" from <see cref="RedisNames.Revocations"/>.</summary>
    public void HandleRevocations(string message)
    {
        var lines = message.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        if (lines.Length > 0 && BridgeIds.LooksValid(lines[0])) directory.SetRevoked(lines[0], lines.Skip(1));
    }

    private void ToBridge(string origin, string bridgeId, ReadOnlySpan<byte> envelope)
    {
        if (!RelayEnvelope.TryRead(envelope, out var kind, out var originSession, out _)) return;
        if (kind == EnvelopeKind.Open)
        {
            Open(origin, bridgeId, originSession, envelope);
            return;
        }
        var proxy = proxies.Find(origin, originSession);
        if (proxy is null)
        {
            // The session ended here (its link went away) before the client's node heard of it.
            if (kind != EnvelopeKind.Close) Reply(origin, RelayEnvelope.Close(originSession, 1001, "the bridge went away"));
            return;
        }
        if (kind == EnvelopeKind.Close)
        {
            if (!proxies.TryRemove(proxy)) return;
            proxy.Link.Detach(proxy.LinkSession);
            proxy.Link.TrySend(NodeMessage.Readdressed(envelope, proxy.LinkSession));
            return;
        }
        if (!proxy.Link.TrySend(NodeMessage.Readdressed(envelope, proxy.LinkSession))) proxy.Overflowed();
    }

    private void Open(string origin, string bridgeId, uint originSession, ReadOnlySpan<byte> envelope)
    {
        var link = links.Find(bridgeId);
        if (link is null)
        {
            Reply(origin, RelayEnvelope.Close(originSession, (ushort)RemoteBridgeRoute.Moved, "the bridge is not linked to that relay node; reconnect"));
            return;
        }
        var proxy = new ProxiedSession(origin, originSession, link, publisher, proxies);
        if (!proxies.TryAdd(proxy)) return;
        proxy.LinkSession = link.Attach(proxy);
        if (!link.TrySend(NodeMessage.Readdressed(envelope, proxy.LinkSession))) proxy.Overflowed();
    }

    private void ToClient(ReadOnlySpan<byte> envelope)
    {
        if (!RelayEnvelope.TryRead(envelope, out var kind, out var session, out var payload)) return;
        var entry = clients.Find(session);
        if (entry is null) return;
        if (kind == EnvelopeKind.Close)
        {
            if (!clients.TryRemove(session, out _)) return;
            var (code, reason) = RelayEnvelope.ReadClose(payload);
            entry.Session.CloseFromBridge((WebSocketCloseStatus)code, reason);
            return;
        }
        if (kind != EnvelopeKind.Text || entry.Session.Offer(payload, Stopwatch.GetTimestamp())) return;
        // Too slow to read: close it and tell the bridge, as a bridge's own node would.
        clients.Remove(session);
        entry.Session.CloseFromBridge(WebSocketCloseStatus.PolicyViolation, "too slow to read");
        publisher.TryPublish(RedisNames.Inbox(entry.Owner), NodeMessage.ForBridge(node.NodeId, entry.BridgeId, RelayEnvelope.Close(session, 1001, "client too slow")), null);
    }

    private void Reply(string origin, byte[] envelope) => publisher.TryPublish(RedisNames.Inbox(origin), NodeMessage.ForClient(envelope), null);

    public static string RevocationMessage(string bridgeId, IEnumerable<string> jtis) =>
        new StringBuilder(bridgeId).Append('\n').AppendJoin('\n', jtis).ToString();
}
