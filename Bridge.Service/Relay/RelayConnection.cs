using System.Buffers;
using System.Collections.Concurrent;
using System.Net.WebSockets;
using System.Text;
using System.Threading.Channels;
using Bridge.Protocols.Relay;
using Bridge.Service.Api;
using Bridge.Service.Security;
using Bridge.Runtime.WebSockets;

namespace Bridge.Service.Relay;

/// <summary>One established link to the relay: demultiplexes envelopes into sessions, each served by
/// the same <see cref="ApiSession"/> and <see cref="ApiDispatcher"/> as local clients, and sends
/// heartbeats. Every session is authorized here again from the client's own token: the relay's
/// check is a first gate, not the one the bridge relies on.</summary>
public sealed class RelayConnection
{
    private const int LinkQueueLength = 8192;

    private readonly WebSocket _socket;
    private readonly RelayOptions _options;
    private readonly ApiOptions _api;
    private readonly TokenService _tokens;
    private readonly TokenStore _store;
    private readonly ApiDispatcher _dispatcher;
    private readonly EventHub _hub;
    private readonly RelayCounters _counters;
    private readonly TimeProvider _time;
    private readonly ILoggerFactory _loggers;
    private readonly ILogger _log;
    private readonly Channel<byte[]> _outgoing = Channel.CreateBounded<byte[]>(new BoundedChannelOptions(LinkQueueLength) { SingleReader = true });
    private readonly ConcurrentDictionary<uint, RelayedWebSocket> _sessions = new();
    private long _lastHeard;

    public RelayConnection(WebSocket socket, RelayOptions options, ApiOptions api, TokenService tokens, TokenStore store,
        ApiDispatcher dispatcher, EventHub hub, RelayCounters counters, TimeProvider time, ILoggerFactory loggers)
    {
        _counters = counters;
        _socket = socket;
        _options = options;
        _api = api;
        _tokens = tokens;
        _store = store;
        _dispatcher = dispatcher;
        _hub = hub;
        _time = time;
        _loggers = loggers;
        _log = loggers.CreateLogger<RelayConnection>();
    }

    public async Task RunAsync(CancellationToken ct)
    {
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(ct);
        _lastHeard = _time.GetTimestamp();
        void PushRevocations()
        {
            _outgoing.Writer.TryWrite(RevokedEnvelope());
            // A revoked token loses its open sessions too, not only future ones.
            foreach (var session in _sessions.Values)
                if (_store.IsRevoked(session.TokenId)) session.Revoke();
        }
        _store.RevocationsChanged += PushRevocations;
        PushRevocations();
        var sender = SendLoopAsync(stop.Token);
        var heartbeat = HeartbeatAsync(stop.Token);
        try
        {
            await ReceiveLoopAsync(stop.Token).ConfigureAwait(false);
        }
        catch (Exception e) when (e is WebSocketException or OperationCanceledException)
        {
            _log.LogDebug("Relay link ended: {Reason}", e.Message);
        }
        finally
        {
            _store.RevocationsChanged -= PushRevocations;
            _outgoing.Writer.TryComplete();
            await stop.CancelAsync().ConfigureAwait(false);
            foreach (var session in _sessions.Values) session.DeliverClose(sendBack: false);
            _sessions.Clear();
            try { await Task.WhenAll(sender, heartbeat).ConfigureAwait(false); }
            catch (Exception e) when (e is WebSocketException or OperationCanceledException) { }
            _socket.Abort();
        }
    }

    private byte[] RevokedEnvelope() =>
        RelayEnvelope.Create(EnvelopeKind.Revoked, 0, Encoding.UTF8.GetBytes(string.Join('\n', _store.RevokedIds)));

    private async ValueTask SendAsync(byte[] envelope, CancellationToken ct)
    {
        try
        {
            await _outgoing.Writer.WriteAsync(envelope, ct).ConfigureAwait(false);
        }
        catch (ChannelClosedException)
        {
            // The link is gone: to the session this is its socket closing under it.
            throw new WebSocketException(WebSocketError.ConnectionClosedPrematurely);
        }
    }

    private async Task ReceiveLoopAsync(CancellationToken ct)
    {
        // The relay never sends more than a client frame plus a header; beyond 1 MiB something is wrong.
        using var message = new WebSocketMessageBuffer(1024 * 1024, 16 * 1024);
        while (true)
        {
            var (type, tooBig) = await message.ReadAsync(_socket, ct).ConfigureAwait(false);
            if (type == WebSocketMessageType.Close) return;
            if (tooBig) throw new WebSocketException(WebSocketError.Faulted, "envelope too big");
            Volatile.Write(ref _lastHeard, _time.GetTimestamp());
            Handle(message.Message.Span, ct);
        }
    }

    private void Handle(ReadOnlySpan<byte> message, CancellationToken ct)
    {
        if (!RelayEnvelope.TryRead(message, out var kind, out var id, out var payload)) return;
        switch (kind)
        {
            case EnvelopeKind.Open:
                Open(id, Encoding.UTF8.GetString(payload), ct);
                break;
            case EnvelopeKind.Text or EnvelopeKind.Binary:
                if (_sessions.TryGetValue(id, out var session) &&
                    !session.Deliver(kind == EnvelopeKind.Text ? WebSocketMessageType.Text : WebSocketMessageType.Binary, payload))
                {
                    // Never wait on one session while reading the link: end the one that floods.
                    _log.LogWarning("Relayed session {Session} sent frames faster than the bridge takes them; closing it", id);
                    session.DeliverClose(sendBack: true);
                }
                break;
            case EnvelopeKind.Close:
                if (_sessions.TryRemove(id, out var closed)) closed.DeliverClose(sendBack: false);
                break;
            case EnvelopeKind.Ping:
                _outgoing.Writer.TryWrite(RelayEnvelope.Create(EnvelopeKind.Pong, 0, payload));
                break;
        }
    }

    private void Open(uint id, string token, CancellationToken ct)
    {
        _counters.Opened();
        if (!_tokens.TryVerify(token, out var claims, out var problem))
        {
            // 4401: the bridge itself refuses; the token is not logged, only why it failed.
            _counters.RefusedOne();
            _log.LogWarning("Refused a relayed session: {Problem}", problem);
            _outgoing.Writer.TryWrite(RelayEnvelope.Close(id, 4401, "unauthorized: " + problem));
            return;
        }
        var socket = new RelayedWebSocket(id, _options.SessionReceiveQueue, SendAsync) { TokenId = claims!.TokenId };
        if (!_sessions.TryAdd(id, socket))
        {
            _outgoing.Writer.TryWrite(RelayEnvelope.Close(id, 1008, "session id in use"));
            return;
        }
        _ = RunSessionAsync(id, socket, claims!, ct);
    }

    private async Task RunSessionAsync(uint id, RelayedWebSocket socket, AccessToken claims, CancellationToken ct)
    {
        try
        {
            var session = new ApiSession(socket, claims, _dispatcher, _hub, _api, _loggers.CreateLogger<ApiSession>());
            await session.RunAsync(ct).ConfigureAwait(false);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            _log.LogError(e, "Relayed session {Session} failed", id);
        }
        finally
        {
            _sessions.TryRemove(id, out _);
            socket.EnsureClosed(e => _outgoing.Writer.TryWrite(e));
        }
    }

    private async Task SendLoopAsync(CancellationToken ct)
    {
        var reader = _outgoing.Reader;
        while (await reader.WaitToReadAsync(ct).ConfigureAwait(false))
        {
            while (reader.TryRead(out var envelope))
                await _socket.SendAsync(envelope, WebSocketMessageType.Binary, true, ct).ConfigureAwait(false);
        }
    }

    /// <summary>Pings the relay; a link that has said nothing for three intervals is dead (a half-open
    /// TCP connection can look alive for hours), so it is aborted and the link redials.</summary>
    private async Task HeartbeatAsync(CancellationToken ct)
    {
        using var timer = new PeriodicTimer(_options.HeartbeatInterval, _time);
        while (await timer.WaitForNextTickAsync(ct).ConfigureAwait(false))
        {
            if (_time.GetElapsedTime(Volatile.Read(ref _lastHeard)) > _options.HeartbeatInterval * 3)
            {
                _log.LogWarning("Relay silent for {Seconds:0} s; dropping the link", _time.GetElapsedTime(Volatile.Read(ref _lastHeard)).TotalSeconds);
                _socket.Abort();
                return;
            }
            _outgoing.Writer.TryWrite(RelayEnvelope.Create(EnvelopeKind.Ping, 0, []));
        }
    }
}
