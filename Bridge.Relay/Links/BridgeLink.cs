using System.Buffers;
using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net.WebSockets;
using System.Text;
using System.Threading.Channels;
using Bridge.Protocols.Relay;
using Bridge.Relay.Backplane;
using Bridge.Relay.Settings;
using Bridge.Relay.Metrics;
using Bridge.Runtime.WebSockets;

namespace Bridge.Relay.Links;

/// <summary>One bridge's authenticated connection: client sessions multiplexed over it as envelopes
/// (<see cref="RelayEnvelope"/>). Reading never waits on a client: frames for a client whose queue is
/// full close that client instead.</summary>
public sealed class BridgeLink : IBridgeRoute
{
    private readonly WebSocket _socket;
    private readonly RelayOptions _options;
    private readonly IRelayBackplane _backplane;
    private readonly RelayMetrics _metrics;
    private readonly ILogger _log;
    private readonly Channel<RelayedFrame> _outgoing;
    private readonly ConcurrentDictionary<uint, IRelayedSession> _sessions = new();
    private readonly CancellationTokenSource _closing = new();
    private int _nextSession;

    public BridgeLink(string bridgeId, WebSocket socket, RelayOptions options, IRelayBackplane backplane, RelayMetrics metrics, ILogger log)
    {
        BridgeId = bridgeId;
        _socket = socket;
        _options = options;
        _backplane = backplane;
        _metrics = metrics;
        _log = log;
        _outgoing = Channel.CreateBounded<RelayedFrame>(new BoundedChannelOptions(options.LinkSendQueue) { SingleReader = true });
    }

    public string BridgeId { get; }

    public int SessionCount => _sessions.Count;

    public uint Attach(IRelayedSession session)
    {
        var id = (uint)Interlocked.Increment(ref _nextSession);
        _sessions[id] = session;
        return id;
    }

    public void Detach(uint session) => _sessions.TryRemove(session, out _);

    /// <summary>Queues an envelope for the bridge; waits while the link's queue is full.</summary>
    public ValueTask SendAsync(byte[] envelope, CancellationToken ct) => SendAsync(RelayedFrame.Of(envelope), ct);

    /// <summary>Queues a client's frame, already in its envelope; waits while the link's queue is full.</summary>
    public async ValueTask SendAsync(RelayedFrame envelope, CancellationToken ct)
    {
        try
        {
            await _outgoing.Writer.WriteAsync(envelope, ct).ConfigureAwait(false);
        }
        catch (ChannelClosedException)
        {
            envelope.Release();
            throw new OperationCanceledException("the bridge's link closed");
        }
        catch (OperationCanceledException)
        {
            envelope.Release();
            throw;
        }
    }

    public bool TrySend(byte[] envelope) => _outgoing.Writer.TryWrite(RelayedFrame.Of(envelope));

    /// <summary>Ends this link (a newer link of the same bridge replaced it).</summary>
    public void Close() => _closing.Cancel();

    public async Task RunAsync(CancellationToken ct)
    {
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(ct, _closing.Token);
        var sender = SendLoopAsync(stop.Token);
        try
        {
            await ReceiveLoopAsync(stop.Token).ConfigureAwait(false);
        }
        catch (Exception e) when (e is WebSocketException or OperationCanceledException)
        {
            _log.LogDebug("Link of bridge {BridgeId} ended: {Reason}", BridgeId, e.Message);
        }
        finally
        {
            _outgoing.Writer.TryComplete();
            await stop.CancelAsync().ConfigureAwait(false);
            try { await sender.ConfigureAwait(false); } catch (Exception e) when (e is OperationCanceledException or WebSocketException) { }
            // The sender is done and the queue closed: what is left was never sent; back to the pool.
            while (_outgoing.Reader.TryRead(out var unsent)) unsent.Release();
            foreach (var session in _sessions.Values) session.CloseFromBridge(WebSocketCloseStatus.EndpointUnavailable, "the bridge went away");
            _sessions.Clear();
        }
    }

    private async Task ReceiveLoopAsync(CancellationToken ct)
    {
        using var message = new WebSocketMessageBuffer(_options.MaxLinkFrameBytes, 16 * 1024);
        while (true)
        {
            var (type, tooBig) = await message.ReadAsync(_socket, ct).ConfigureAwait(false);
            if (type == WebSocketMessageType.Close) return;
            if (tooBig)
            {
                _metrics.BadLinkFrame();
                await _socket.CloseAsync(WebSocketCloseStatus.MessageTooBig, "envelope too big", ct).ConfigureAwait(false);
                return;
            }
            // HandleAsync copies what it keeps (sessions take a span), so the buffer can be reused.
            await HandleAsync(message.Message, Stopwatch.GetTimestamp()).ConfigureAwait(false);
        }
    }

    private async ValueTask HandleAsync(ReadOnlyMemory<byte> message, long receivedAt)
    {
        if (!RelayEnvelope.TryRead(message.Span, out var kind, out var id, out _))
        {
            _metrics.BadLinkFrame();
            return;
        }
        var payload = message[RelayEnvelope.HeaderBytes..];
        switch (kind)
        {
            case EnvelopeKind.Text:
                if (!_sessions.TryGetValue(id, out var session)) return;
                _metrics.FrameToClient();
                if (!session.Offer(payload.Span, receivedAt))
                {
                    // Too slow to read: close it rather than hold up the link for everyone else.
                    _metrics.SlowClientDropped();
                    Detach(id);
                    session.CloseFromBridge(WebSocketCloseStatus.PolicyViolation, "too slow to read");
                    TrySend(RelayEnvelope.Close(id, 1001, "client too slow"));
                }
                break;
            case EnvelopeKind.Close:
                if (_sessions.TryRemove(id, out var closed))
                {
                    var (code, reason) = RelayEnvelope.ReadClose(payload.Span);
                    closed.CloseFromBridge((WebSocketCloseStatus)code, reason);
                }
                break;
            case EnvelopeKind.Revoked:
                var list = Encoding.UTF8.GetString(payload.Span).Split('\n', StringSplitOptions.RemoveEmptyEntries);
                await _backplane.SetRevokedAsync(BridgeId, list).ConfigureAwait(false);
                break;
            case EnvelopeKind.Ping:
                TrySend(RelayEnvelope.Create(EnvelopeKind.Pong, 0, payload.Span));
                break;
            default:
                _metrics.BadLinkFrame();
                break;
        }
    }

    private Task SendLoopAsync(CancellationToken ct) =>
        RelayedFramePump.RunAsync(_outgoing.Reader, _socket, WebSocketMessageType.Binary, _metrics.ToBridgeResidence, ct);
}
