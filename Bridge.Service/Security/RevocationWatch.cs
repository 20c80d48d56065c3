using System.Collections.Concurrent;

namespace Bridge.Service.Security;

/// <summary>Ends open local sessions whose token gets revoked: revocation must not wait for the
/// client to reconnect. (Relayed sessions are ended by the relay link itself.)</summary>
public sealed class RevocationWatch
{
    private readonly TokenStore _store;
    private readonly ConcurrentDictionary<CancellationTokenSource, string> _open = new();

    public RevocationWatch(TokenStore store)
    {
        _store = store;
        store.RevocationsChanged += CancelRevoked;
    }

    /// <summary>Cancels <paramref name="session"/> if <paramref name="jti"/> is revoked while the returned handle lives.</summary>
    public IDisposable Watch(string jti, CancellationTokenSource session)
    {
        _open[session] = jti;
        return new Handle(this, session);
    }

    private void CancelRevoked()
    {
        foreach (var (session, jti) in _open)
        {
            if (!_store.IsRevoked(jti)) continue;
            try { session.Cancel(); } catch (ObjectDisposedException) { }
        }
    }

    private sealed class Handle(RevocationWatch owner, CancellationTokenSource session) : IDisposable
    {
        public void Dispose() => owner._open.TryRemove(session, out _);
    }
}
