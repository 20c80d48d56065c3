using System.Collections.Concurrent;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using System.Threading.Channels;

namespace Bridge.Tests.Infrastructure;

/// <summary>A real WebSocket client of the local API, as a mini-program would use it.</summary>
public sealed class ApiClient : IAsyncDisposable
{
    private readonly ClientWebSocket _socket;
    private readonly ConcurrentDictionary<string, TaskCompletionSource<JsonElement>> _waiting = new();
    private readonly Channel<JsonElement> _events = Channel.CreateUnbounded<JsonElement>();
    private readonly Channel<JsonElement> _unmatched = Channel.CreateUnbounded<JsonElement>();
    private readonly Task _receiver;
    private readonly CancellationTokenSource _stop = new();
    private int _nextId;
    // ClientWebSocket takes one send at a time; requests may be sent from many tasks at once.
    private readonly SemaphoreSlim _sending = new(1, 1);

    /// <summary>Ids of the requests in the order they went out, and of the replies in the order they came.</summary>
    public ConcurrentQueue<string> SentIds { get; } = new();
    public ConcurrentQueue<string> RepliedIds { get; } = new();

    private ApiClient(ClientWebSocket socket)
    {
        _socket = socket;
        _receiver = ReceiveLoopAsync();
    }

    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(10);

    public WebSocketState State => _socket.State;
    public WebSocketCloseStatus? CloseStatus => _socket.CloseStatus;

    public static async Task<ApiClient> ConnectAsync(string url, string token, bool viaQuery = false)
    {
        var socket = new ClientWebSocket();
        if (viaQuery) url += "?access_token=" + Uri.EscapeDataString(token);
        else socket.Options.SetRequestHeader("Authorization", "Bearer " + token);
        using var timeout = new CancellationTokenSource(DefaultTimeout);
        await socket.ConnectAsync(new Uri(url), timeout.Token);
        return new ApiClient(socket);
    }

    /// <summary>Sends a request (an object; "id" is added) and waits for the reply with that id.</summary>
    public async Task<JsonElement> RequestAsync(object request, TimeSpan? timeout = null)
    {
        var id = "r" + Interlocked.Increment(ref _nextId);
        var node = JsonSerializer.SerializeToNode(request)!.AsObject();
        node["id"] = id;
        var waiter = new TaskCompletionSource<JsonElement>(TaskCreationOptions.RunContinuationsAsynchronously);
        _waiting[id] = waiter;
        await SendTextAsync(node.ToJsonString(), id);
        return await waiter.Task.WaitAsync(timeout ?? DefaultTimeout);
    }

    /// <summary>Sends raw text and returns the next reply that matches no request of ours.</summary>
    public async Task<JsonElement> SendRawAsync(string text, TimeSpan? timeout = null)
    {
        await SendTextAsync(text);
        return await NextUnmatchedAsync(timeout);
    }

    public async Task<JsonElement> NextUnmatchedAsync(TimeSpan? timeout = null)
    {
        using var cts = new CancellationTokenSource(timeout ?? DefaultTimeout);
        return await _unmatched.Reader.ReadAsync(cts.Token);
    }

    public Task SendTextAsync(string text) => SendTextAsync(text, null);

    private async Task SendTextAsync(string text, string? id)
    {
        var bytes = Encoding.UTF8.GetBytes(text);
        await _sending.WaitAsync();
        try
        {
            if (id is not null) SentIds.Enqueue(id);
            await _socket.SendAsync(bytes, WebSocketMessageType.Text, true, CancellationToken.None);
        }
        finally
        {
            _sending.Release();
        }
    }

    public async Task SendBytesAsync(byte[] bytes, WebSocketMessageType type = WebSocketMessageType.Text)
    {
        await _sending.WaitAsync();
        try
        {
            await _socket.SendAsync(bytes, type, true, CancellationToken.None);
        }
        finally
        {
            _sending.Release();
        }
    }

    /// <summary>Waits for the first event that satisfies <paramref name="match"/>, skipping others.</summary>
    public async Task<JsonElement> WaitEventAsync(Func<JsonElement, bool> match, TimeSpan? timeout = null, string what = "event")
    {
        using var cts = new CancellationTokenSource(timeout ?? DefaultTimeout);
        try
        {
            while (true)
            {
                var e = await _events.Reader.ReadAsync(cts.Token);
                if (match(e)) return e;
            }
        }
        catch (OperationCanceledException)
        {
            throw new TimeoutException($"no {what} within {(timeout ?? DefaultTimeout).TotalSeconds} s");
        }
    }

    public Task<JsonElement> WaitStateEventAsync(string device, Func<JsonElement, bool> stateMatch, TimeSpan? timeout = null) =>
        WaitEventAsync(e => e.GetProperty("event").GetString() == "state" && e.GetProperty("device").GetString() == device &&
                            stateMatch(e.GetProperty("state")), timeout, $"state event of {device}");

    public Task<JsonElement> WaitOnlineEventAsync(string device, bool online, TimeSpan? timeout = null) =>
        WaitEventAsync(e => e.GetProperty("event").GetString() == "online" && e.GetProperty("device").GetString() == device &&
                            e.GetProperty("online").GetBoolean() == online, timeout, $"online={online} event of {device}");

    private async Task ReceiveLoopAsync()
    {
        var buffer = new byte[1 << 20];
        try
        {
            while (_socket.State == WebSocketState.Open)
            {
                var length = 0;
                WebSocketReceiveResult result;
                do
                {
                    result = await _socket.ReceiveAsync(new ArraySegment<byte>(buffer, length, buffer.Length - length), _stop.Token);
                    length += result.Count;
                }
                while (!result.EndOfMessage);
                if (result.MessageType == WebSocketMessageType.Close) break;
                var element = JsonDocument.Parse(buffer.AsMemory(0, length)).RootElement.Clone();
                if (element.TryGetProperty("event", out _)) _events.Writer.TryWrite(element);
                else if (element.TryGetProperty("id", out var id) && id.ValueKind == JsonValueKind.String &&
                         _waiting.TryRemove(id.GetString()!, out var waiter))
                {
                    RepliedIds.Enqueue(id.GetString()!);
                    waiter.TrySetResult(element);
                }
                else _unmatched.Writer.TryWrite(element);
            }
        }
        catch (Exception e) when (e is WebSocketException or OperationCanceledException)
        {
        }
        _events.Writer.TryComplete();
        _unmatched.Writer.TryComplete();
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            if (_socket.State == WebSocketState.Open)
            {
                using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(2));
                await _socket.CloseAsync(WebSocketCloseStatus.NormalClosure, "bye", cts.Token);
            }
        }
        catch (Exception e) when (e is WebSocketException or OperationCanceledException) { }
        await _stop.CancelAsync();
        try { await _receiver; } catch (OperationCanceledException) { }
        _socket.Dispose();
    }
}

public static class JsonAssert
{
    public static void Ok(JsonElement reply)
    {
        Assert.True(reply.GetProperty("ok").GetBoolean(), "expected ok, got " + reply.GetRawText());
    }

    public static void Error(JsonElement reply, string code)
    {
        Assert.False(reply.GetProperty("ok").GetBoolean(), "expected an error, got " + reply.GetRawText());
        Assert.Equal(code, reply.GetProperty("error").GetProperty("code").GetString());
        Assert.False(string.IsNullOrWhiteSpace(reply.GetProperty("error").GetProperty("message").GetString()));
    }
}
