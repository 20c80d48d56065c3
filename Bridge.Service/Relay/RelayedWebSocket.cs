using System.Net.WebSockets;
using System.Threading.Channels;
using Bridge.Protocols.Relay;

namespace Bridge.Service.Relay;

/// <summary>A client session arriving over the relay link, dressed as a WebSocket so the very same
/// <see cref="Api.ApiSession"/> serves it as serves local clients. Incoming frames are fed in by the
/// link; outgoing ones leave as envelopes on the link.</summary>
public sealed class RelayedWebSocket : WebSocket
{
    private readonly uint _session;
    private readonly Func<byte[], CancellationToken, ValueTask> _send;
    private readonly Channel<(WebSocketMessageType Type, byte[] Data)> _incoming;
    private byte[]? _current;
    private WebSocketMessageType _currentType;
    private int _offset;
    private WebSocketState _state = WebSocketState.Open;
    private int _closeSent;
    private volatile bool _revoked;

    public RelayedWebSocket(uint session, int queueLength, Func<byte[], CancellationToken, ValueTask> send)
    {
        _session = session;
        _send = send;
        _incoming = Channel.CreateBounded<(WebSocketMessageType, byte[])>(new BoundedChannelOptions(queueLength) { SingleReader = true });
    }

    /// <summary>Called by the link's reader; false when the session has too much unread (the link never waits).</summary>
    public bool Deliver(WebSocketMessageType type, ReadOnlySpan<byte> data) => _incoming.Writer.TryWrite((type, data.ToArray()));

    /// <summary>The jti of the token this session was opened with.</summary>
    public string TokenId { get; init; } = "";

    /// <summary>The session's token was revoked: end it, telling the client why (4401).</summary>
    public void Revoke()
    {
        _revoked = true;
        _incoming.Writer.TryComplete();
    }

    /// <summary>The relay closed the session (client left, or the link went away).</summary>
    public void DeliverClose(bool sendBack)
    {
        if (!sendBack) Interlocked.Exchange(ref _closeSent, 1);
        _incoming.Writer.TryComplete();
    }

    public override WebSocketCloseStatus? CloseStatus { get; } = null;
    public override string? CloseStatusDescription => null;
    public override WebSocketState State => _state;
    public override string? SubProtocol => null;

    public override async ValueTask<ValueWebSocketReceiveResult> ReceiveAsync(Memory<byte> buffer, CancellationToken cancellationToken)
    {
        if (_current is null)
        {
            if (!await _incoming.Reader.WaitToReadAsync(cancellationToken).ConfigureAwait(false) || !_incoming.Reader.TryRead(out var next))
            {
                _state = WebSocketState.CloseReceived;
                return new ValueWebSocketReceiveResult(0, WebSocketMessageType.Close, true);
            }
            (_currentType, _current, _offset) = (next.Type, next.Data, 0);
        }
        var count = Math.Min(buffer.Length, _current.Length - _offset);
        _current.AsSpan(_offset, count).CopyTo(buffer.Span);
        _offset += count;
        var type = _currentType;
        var end = _offset == _current.Length;
        if (end) _current = null;
        return new ValueWebSocketReceiveResult(count, type, end);
    }

    public override async Task<WebSocketReceiveResult> ReceiveAsync(ArraySegment<byte> buffer, CancellationToken cancellationToken)
    {
        var r = await ReceiveAsync(buffer.AsMemory(), cancellationToken).ConfigureAwait(false);
        return new WebSocketReceiveResult(r.Count, r.MessageType, r.EndOfMessage);
    }

    public override ValueTask SendAsync(ReadOnlyMemory<byte> buffer, WebSocketMessageType messageType, bool endOfMessage, CancellationToken cancellationToken)
    {
        if (_state is not (WebSocketState.Open or WebSocketState.CloseReceived)) throw new WebSocketException(WebSocketError.InvalidState);
        // ApiSession always sends whole messages, so one frame is one envelope.
        var envelope = new byte[RelayEnvelope.HeaderBytes + buffer.Length];
        RelayEnvelope.WriteHeader(envelope, EnvelopeKind.Text, _session);
        buffer.Span.CopyTo(envelope.AsSpan(RelayEnvelope.HeaderBytes));
        return _send(envelope, cancellationToken);
    }

    public override Task SendAsync(ArraySegment<byte> buffer, WebSocketMessageType messageType, bool endOfMessage, CancellationToken cancellationToken) =>
        SendAsync(buffer.AsMemory(), messageType, endOfMessage, cancellationToken).AsTask();

    public override Task CloseOutputAsync(WebSocketCloseStatus closeStatus, string? statusDescription, CancellationToken cancellationToken) =>
        CloseAsync(closeStatus, statusDescription, cancellationToken);

    public override async Task CloseAsync(WebSocketCloseStatus closeStatus, string? statusDescription, CancellationToken cancellationToken)
    {
        _state = WebSocketState.Closed;
        if (Interlocked.Exchange(ref _closeSent, 1) == 0)
            await _send(_revoked ? RelayEnvelope.Close(_session, 4401, "token revoked")
                : RelayEnvelope.Close(_session, (ushort)closeStatus, statusDescription ?? ""), cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Sends the session's close to the relay unless one went already.</summary>
    public void EnsureClosed(Action<byte[]> trySend)
    {
        _state = WebSocketState.Closed;
        if (Interlocked.Exchange(ref _closeSent, 1) == 0) trySend(RelayEnvelope.Close(_session, 1000, ""));
    }

    public override void Abort() => _state = WebSocketState.Aborted;

    public override void Dispose() => _incoming.Writer.TryComplete();
}
