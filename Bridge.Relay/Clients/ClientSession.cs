using System.Diagnostics;
using System.Net.WebSockets;
using System.Text;
using System.Threading.Channels;
using Bridge.Protocols.Relay;
using Bridge.Relay.Backplane;
using Bridge.Relay.Settings;
using Bridge.Relay.Links;
using Bridge.Relay.Metrics;
using Bridge.Runtime.WebSockets;

namespace Bridge.Relay.Clients;

/// <summary>One client connected through the relay to a bridge: its frames go to the bridge in
/// envelopes, the bridge's replies and events come back through a bounded queue of its own.</summary>
public sealed class ClientSession : IRelayedSession
{
    private readonly WebSocket _socket;
    private readonly IBridgeRoute _link;
    private readonly RelayOptions _options;
    private readonly RelayMetrics _metrics;
    private readonly Channel<RelayedFrame> _outgoing;
    private readonly Func<bool> _mayForward;
    private uint _id;
    private WebSocketCloseStatus _closeStatus = WebSocketCloseStatus.NormalClosure;
    private string _closeReason = "";
    private volatile bool _closedByBridge;
    private volatile bool _closedByClient;

    public ClientSession(WebSocket socket, IBridgeRoute link, RelayOptions options, RelayMetrics metrics, Func<bool> mayForward)
    {
        _mayForward = mayForward;
        _socket = socket;
        _link = link;
        _options = options;
        _metrics = metrics;
        _outgoing = Channel.CreateBounded<RelayedFrame>(new BoundedChannelOptions(options.ClientSendQueue) { SingleReader = true });
    }

    /// <summary>Takes a copy of a frame for the client; false when its queue is full.
    /// <paramref name="receivedAt"/>: when the relay read it (Stopwatch timestamp), 0 for its own replies.</summary>
    public bool Offer(ReadOnlySpan<byte> frame, long receivedAt)
    {
        var copy = RelayedFrame.Copy(frame, receivedAt);
        if (_outgoing.Writer.TryWrite(copy)) return true;
        copy.Release();
        // A client that has closed takes no more frames; it is not too slow.
        return _closedByClient;
    }

    /// <summary>The bridge ended the session (or the link went away): send what is queued, then close.</summary>
    public void CloseFromBridge(WebSocketCloseStatus status, string reason)
    {
        _closeStatus = status;
        _closeReason = reason;
        _closedByBridge = true;
        _outgoing.Writer.TryComplete();
    }

    public async Task RunAsync(string token, CancellationToken ct)
    {
        _id = _link.Attach(this);
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(ct);
        var sender = SendLoopAsync(stop.Token);
        try
        {
            // The bridge checks the token again: the relay cannot open a session on its own say-so.
            await _link.SendAsync(RelayEnvelope.Create(EnvelopeKind.Open, _id, Encoding.UTF8.GetBytes(token)), stop.Token).ConfigureAwait(false);
            var receiving = ReceiveLoopAsync(stop.Token);
            // Whichever ends first ends the session: the client leaving, or the bridge closing it.
            await Task.WhenAny(receiving, sender).ConfigureAwait(false);
            if (receiving.IsCompletedSuccessfully && _socket.State == WebSocketState.CloseReceived && !_closedByBridge)
            {
                // The client closed: answer its close frame (RFC 6455 §5.5.1) after what is already queued
                // for it, echoing its code, so it sees a normal close and not a dropped connection (1006).
                _closeStatus = _socket.CloseStatus ?? WebSocketCloseStatus.NormalClosure;
                _closeReason = "";
                _closedByClient = true;
                _outgoing.Writer.TryComplete();
                try { await sender.WaitAsync(TimeSpan.FromSeconds(5), stop.Token).ConfigureAwait(false); }
                catch (TimeoutException) { }
            }
            else if (!receiving.IsCompleted && _closedByBridge)
            {
                // Our close frame is out; give the client a moment to answer it. Aborting at once
                // could reset the connection and make the client lose the close code.
                try { await receiving.WaitAsync(TimeSpan.FromSeconds(5), stop.Token).ConfigureAwait(false); }
                catch (TimeoutException) { }
            }
        }
        catch (Exception e) when (e is WebSocketException or OperationCanceledException)
        {
        }
        finally
        {
            _link.Detach(_id);
            if (!_closedByBridge) _link.TrySend(RelayEnvelope.Close(_id, 1000, "client left"));
            _outgoing.Writer.TryComplete();
            await stop.CancelAsync().ConfigureAwait(false);
            try { await sender.ConfigureAwait(false); } catch (Exception e) when (e is WebSocketException or OperationCanceledException) { }
            // The sender is done and the queue closed: what is left was never sent; back to the pool.
            while (_outgoing.Reader.TryRead(out var unsent)) unsent.Release();
        }
    }

    private async Task ReceiveLoopAsync(CancellationToken ct)
    {
        var max = _options.MaxFrameBytes;
        // The envelope header goes in front of the frame in the same buffer: one copy per frame.
        using var message = new WebSocketMessageBuffer(max, 4096, RelayEnvelope.HeaderBytes);
        while (true)
        {
            var (type, tooBig) = await message.ReadAsync(_socket, ct).ConfigureAwait(false);
            if (type == WebSocketMessageType.Close) return;
            var receivedAt = Stopwatch.GetTimestamp();
            if (tooBig)
            {
                // Too big: the rest was dropped, the connection stays (as the bridge does).
                _metrics.OversizedFrame();
                if (!Offer(OversizedReply(max), 0)) { TooSlow(); return; }
                continue;
            }
            if (!_mayForward())
            {
                _metrics.RateLimited();
                if (!Offer(RateLimitedReply(message.Message), 0)) { TooSlow(); return; }
                continue;
            }
            RelayEnvelope.WriteHeader(message.Prefix, type == WebSocketMessageType.Binary ? EnvelopeKind.Binary : EnvelopeKind.Text, _id);
            _metrics.FrameToBridge();
            await _link.SendAsync(RelayedFrame.Copy(message.PrefixAndMessage.Span, receivedAt), ct).ConfigureAwait(false);
        }
    }

    /// <summary>The relay's own replies found the client's queue full: it is as slow as one the bridge's
    /// answers found full, and is counted the same way.</summary>
    private void TooSlow() => _metrics.SlowClientDropped();

    /// <summary>The API's <c>bad_request</c> error for an oversized frame, as the bridge gives it: no id,
    /// since the frame is dropped unparsed.</summary>
    private static byte[] OversizedReply(int max)
    {
        var buffer = new System.Buffers.ArrayBufferWriter<byte>(128);
        Bridge.Protocols.Api.ApiWriter.Error(buffer, null, Bridge.Protocols.Api.ErrorCodes.BadRequest, $"frame is over the {max}-byte limit");
        return buffer.WrittenSpan.ToArray();
    }

    /// <summary>The API's <c>busy</c> error, with the request's id when it has one.</summary>
    private static byte[] RateLimitedReply(ReadOnlyMemory<byte> frame)
    {
        if (Bridge.Protocols.Api.ApiRequest.TryParse(frame, out var request, out var id, out _)) request!.Dispose();
        var buffer = new System.Buffers.ArrayBufferWriter<byte>(128);
        Bridge.Protocols.Api.ApiWriter.Error(buffer, id, Bridge.Protocols.Api.ErrorCodes.Busy, "too many requests for this token; slow down");
        return buffer.WrittenSpan.ToArray();
    }

    // Codes a peer may not put on the wire (1005, 1006, 1015, out of range) become 1011.
    private static WebSocketCloseStatus Sendable(WebSocketCloseStatus status) =>
        (int)status is >= 1000 and <= 1003 or >= 1007 and <= 1014 or >= 3000 and <= 4999 ? status : WebSocketCloseStatus.InternalServerError;

    private async Task SendLoopAsync(CancellationToken ct)
    {
        await RelayedFramePump.RunAsync(_outgoing.Reader, _socket, WebSocketMessageType.Text, _metrics.ToClientResidence, ct).ConfigureAwait(false);
        if ((_closedByBridge || _closedByClient) && _socket.State is WebSocketState.Open or WebSocketState.CloseReceived)
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
            timeout.CancelAfter(TimeSpan.FromSeconds(5));
            // Output only: the receive loop reads the client's answering close.
            await _socket.CloseOutputAsync(Sendable(_closeStatus), _closeReason, timeout.Token).ConfigureAwait(false);
        }
    }
}
