using System.Collections.Concurrent;

namespace Bridge.Relay.Backplane.Redis;

/// <summary>The <see cref="ProxiedSession"/>s on this node, by the client's node and that node's session id.</summary>
internal sealed class ProxiedSessions(BackplaneMetrics metrics)
{
    private readonly ConcurrentDictionary<(string Node, uint Session), ProxiedSession> _sessions = new();

    public bool TryAdd(ProxiedSession session) => _sessions.TryAdd((session.OriginNode, session.OriginSession), session);

    public ProxiedSession? Find(string originNode, uint originSession) => _sessions.GetValueOrDefault((originNode, originSession));

    public bool TryRemove(ProxiedSession session) =>
        _sessions.TryRemove(new KeyValuePair<(string, uint), ProxiedSession>((session.OriginNode, session.OriginSession), session));

    public void AbandonWhere(Func<ProxiedSession, bool> match)
    {
        foreach (var session in _sessions.Values)
        {
            if (!match(session)) continue;
            metrics.SessionClosed();
            session.Abandon();
        }
    }

    public IEnumerable<string> OriginNodes => _sessions.Keys.Select(k => k.Node).Distinct();
}
