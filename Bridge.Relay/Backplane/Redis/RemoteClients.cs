using System.Collections.Concurrent;
using System.Net.WebSockets;

namespace Bridge.Relay.Backplane.Redis;

/// <summary>Client sessions on this node whose bridge is linked to another node, by the session id
/// this node gave them (the id the other node sends answers back to).</summary>
public sealed class RemoteClients(BackplaneMetrics metrics)
{
    public sealed record Entry(IRelayedSession Session, string BridgeId, string Owner);

    private readonly ConcurrentDictionary<uint, Entry> _sessions = new();
    private int _next;

    public uint Add(IRelayedSession session, string bridgeId, string owner)
    {
        var id = (uint)Interlocked.Increment(ref _next);
        _sessions[id] = new Entry(session, bridgeId, owner);
        return id;
    }

    public Entry? Find(uint id) => _sessions.GetValueOrDefault(id);

    public bool TryRemove(uint id, out Entry? entry) => _sessions.TryRemove(id, out entry);

    public void Remove(uint id) => _sessions.TryRemove(id, out _);

    /// <summary>Closes one session whose bridge cannot be reached any more (the client reconnects).</summary>
    public void Close(uint id, WebSocketCloseStatus status, string reason)
    {
        if (!_sessions.TryRemove(id, out var entry)) return;
        metrics.SessionClosed();
        entry.Session.CloseFromBridge(status, reason);
    }

    public void CloseWhere(Func<Entry, bool> match, WebSocketCloseStatus status, string reason)
    {
        foreach (var (id, entry) in _sessions)
            if (match(entry)) Close(id, status, reason);
    }

    /// <summary>Each (bridge, node holding it) that some session here goes through.</summary>
    public IEnumerable<(string BridgeId, string Owner)> Routes => _sessions.Values.Select(e => (e.BridgeId, e.Owner)).Distinct();
}
