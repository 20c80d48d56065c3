using System.Buffers;
using System.Net.WebSockets;
using System.Text.Json;
using System.Threading.Channels;
using Bridge.Protocols.Api;
using Bridge.Protocols.Buffers;
using Bridge.Service.Security;
using Bridge.Runtime.WebSockets;

namespace Bridge.Service.Api;

/// <summary>One client connection: reads frames, hands each request to the dispatcher without
/// waiting for it (so a client may pipeline), and writes replies and events from one queue.</summary>
public sealed class ApiSession
{
    private readonly WebSocket _socket;
    private readonly ApiDispatcher _dispatcher;
    private readonly EventHub _hub;
    private readonly ApiOptions _options;
    private readonly ILogger _log;
    private readonly Channel<OutgoingFrame> _outgoing;
    private readonly SemaphoreSlim _sendLock = new(1, 1);
    private int _inFlight;
    private long _droppedEvents;

    public ApiSession(WebSocket socket, AccessToken token, ApiDispatcher dispatcher, EventHub hub, ApiOptions options, ILogger log)
    {
        _socket = socket;
        Token = token;
        _dispatcher = dispatcher;
        _hub = hub;
        _options = options;
        _log = log;
        _outgoing = Channel.CreateBounded<OutgoingFrame>(new BoundedChannelOptions(options.SendQueueLength)
        {
            SingleReader = true,
            FullMode = BoundedChannelFullMode.Wait,
        });
    }

    public AccessToken Token { get; }
    public CancellationToken Closed { get; private set; }

    public async Task RunAsync(CancellationToken ct)
    {
        using var closing = CancellationTokenSource.CreateLinkedTokenSource(ct);
        Closed = closing.Token;
        var sender = SendLoopAsync(closing.Token);
        try
        {
            await ReceiveLoopAsync(closing.Token).ConfigureAwait(false);
        }
        catch (Exception e) when (e is WebSocketException or OperationCanceledException)
        {
            _log.LogDebug("Session of {Client} ended: {Reason}", Token.Name, e.Message);
        }
        finally
        {
            _hub.Unsubscribe(this);
            _outgoing.Writer.TryComplete();
            await closing.CancelAsync().ConfigureAwait(false);
            try { await sender.ConfigureAwait(false); } catch (OperationCanceledException) { }
            if (_droppedEvents > 0) _log.LogWarning("Client {Client} was too slow: {Dropped} events dropped", Token.Name, _droppedEvents);
        }
    }

    private async Task ReceiveLoopAsync(CancellationToken ct)
    {
        using var message = new WebSocketMessageBuffer(ApiRequest.MaxFrameBytes);
        while (true)
        {
            var (type, tooBig) = await message.ReadAsync(_socket, ct).ConfigureAwait(false);
            if (type == WebSocketMessageType.Close)
            {
                if (_socket.State == WebSocketState.CloseReceived)
                    await _socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, null, ct).ConfigureAwait(false);
                return;
            }
            if (tooBig)
            {
                // Too big: the rest of it was dropped; the connection stays up for the next frame.
                await ReplyErrorAsync(null, ErrorCodes.BadRequest, $"frame is over the {ApiRequest.MaxFrameBytes}-byte limit").ConfigureAwait(false);
                continue;
            }
            if (type == WebSocketMessageType.Binary)
            {
                await ReplyErrorAsync(null, ErrorCodes.BadRequest, "send requests as text frames of JSON").ConfigureAwait(false);
                continue;
            }
            await HandleFrameAsync(message.Message).ConfigureAwait(false);
        }
    }

    private async ValueTask HandleFrameAsync(ReadOnlyMemory<byte> frame)
    {
        if (!ApiRequest.TryParse(frame, out var request, out var id, out var error))
        {
            await ReplyErrorAsync(id, ErrorCodes.BadRequest, error).ConfigureAwait(false);
            return;
        }
        if (Interlocked.Increment(ref _inFlight) > _options.MaxInFlightPerConnection)
        {
            Interlocked.Decrement(ref _inFlight);
            request!.Dispose();
            await ReplyErrorAsync(id, ErrorCodes.Busy, $"more than {_options.MaxInFlightPerConnection} requests in flight").ConfigureAwait(false);
            return;
        }
        var handling = HandleRequestAsync(request!);
        // Requests that wait on a device carry on while the next frame is read.
        if (!handling.IsCompleted) _ = handling.AsTask();
        else await handling.ConfigureAwait(false);
    }

    private async ValueTask HandleRequestAsync(ApiRequest request)
    {
        try
        {
            await _dispatcher.DispatchAsync(this, request).ConfigureAwait(false);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            _log.LogError(e, "Request {Op} from {Client} failed", request.Op, Token.Name);
            await ReplyErrorAsync(request.Id, ErrorCodes.Internal, "the bridge failed to handle this request").ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
        }
        finally
        {
            request.Dispose();
            Interlocked.Decrement(ref _inFlight);
        }
    }

    public void SubscribeToEvents() => _hub.Subscribe(this);

    /// <summary>Queues an event; a client too slow to take it loses it rather than stalling others.</summary>
    public void OfferEvent(OutgoingFrame frame)
    {
        if (!_outgoing.Writer.TryWrite(frame)) Interlocked.Increment(ref _droppedEvents);
    }

    public ValueTask ReplyAsync<TState>(TState state, Action<Utf8JsonWriter, TState> writeBody)
    {
        var buffer = new PooledBufferWriter();
        using (var w = ApiWriter.Begin(buffer)) writeBody(w, state);
        return QueueAsync(OutgoingFrame.From(buffer));
    }

    /// <summary>The one success envelope: <c>{"id":…,"ok":true,…}</c> with the op's own members, which
    /// <paramref name="writeMembers"/> writes (it neither opens nor closes the object).</summary>
    public ValueTask ReplyOkAsync<TState>(string id, TState state, Action<Utf8JsonWriter, TState> writeMembers) =>
        ReplyAsync((id, state, writeMembers), static (w, s) =>
        {
            ApiWriter.OkEnvelope(w, s.id);
            s.writeMembers(w, s.state);
            w.WriteEndObject();
        });

    /// <summary><c>{"id":…,"ok":true,"device":Device}</c> (ops <c>get</c>, <c>adopt</c>).</summary>
    public ValueTask ReplyDeviceAsync(string id, DeviceView device) =>
        ReplyOkAsync(id, device, static (w, device) =>
        {
            w.WritePropertyName("device");
            ApiWriter.Device(w, device);
        });

    public ValueTask ReplyOkAsync(string id)
    {
        var buffer = new PooledBufferWriter(64);
        ApiWriter.Ok(buffer, id);
        return QueueAsync(OutgoingFrame.From(buffer));
    }

    public ValueTask ReplyErrorAsync(string? id, string code, string message)
    {
        var buffer = new PooledBufferWriter(256);
        ApiWriter.Error(buffer, id, code, message);
        return QueueAsync(OutgoingFrame.From(buffer));
    }

    private async ValueTask QueueAsync(OutgoingFrame frame)
    {
        // Fast path: nothing queued and nobody sending, so send on this thread and save the hop
        // to the send loop. Replies are matched by id, so order across paths does not matter.
        if (_outgoing.Reader.Count == 0 && _sendLock.Wait(0))
        {
            try
            {
                await _socket.SendAsync(frame.Memory, WebSocketMessageType.Text, true, Closed).ConfigureAwait(false);
            }
            catch (Exception e) when (e is WebSocketException or OperationCanceledException or ObjectDisposedException)
            {
                _log.LogDebug("Send to {Client} failed: {Reason}", Token.Name, e.Message);
            }
            finally
            {
                _sendLock.Release();
                frame.Release();
            }
            return;
        }
        try
        {
            await _outgoing.Writer.WriteAsync(frame, Closed).ConfigureAwait(false);
        }
        catch (Exception e) when (e is ChannelClosedException or OperationCanceledException)
        {
            frame.Release();
        }
    }

    private async Task SendLoopAsync(CancellationToken ct)
    {
        var reader = _outgoing.Reader;
        try
        {
            while (await reader.WaitToReadAsync(ct).ConfigureAwait(false))
            {
                await _sendLock.WaitAsync(ct).ConfigureAwait(false);
                try
                {
                    while (reader.TryRead(out var frame))
                    {
                        try
                        {
                            await _socket.SendAsync(frame.Memory, WebSocketMessageType.Text, true, ct).ConfigureAwait(false);
                        }
                        finally
                        {
                            frame.Release();
                        }
                    }
                }
                finally
                {
                    _sendLock.Release();
                }
            }
        }
        catch (Exception e) when (e is WebSocketException or OperationCanceledException or ObjectDisposedException)
        {
            _log.LogDebug("Send loop of {Client} ended: {Reason}", Token.Name, e.Message);
        }
        finally
        {
            while (reader.TryRead(out var left)) left.Release();
        }
    }
}
