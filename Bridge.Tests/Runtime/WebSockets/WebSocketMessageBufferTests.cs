using System.Net;
using System.Net.Sockets;
using System.Net.WebSockets;
using System.Text;
using Bridge.Runtime.WebSockets;

namespace Bridge.Tests.Runtime.WebSockets;

/// <summary>The one bounded message reader, over a real WebSocket pair on loopback.</summary>
public sealed class WebSocketMessageBufferTests : IAsyncLifetime
{
    private TcpClient _clientTcp = null!;
    private TcpClient _serverTcp = null!;
    private WebSocket _sender = null!;
    private WebSocket _receiver = null!;

    public async Task InitializeAsync()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        _clientTcp = new TcpClient();
        await _clientTcp.ConnectAsync(IPAddress.Loopback, ((IPEndPoint)listener.LocalEndpoint).Port);
        _serverTcp = await listener.AcceptTcpClientAsync();
        listener.Stop();
        _sender = WebSocket.CreateFromStream(_clientTcp.GetStream(), new WebSocketCreationOptions { IsServer = false });
        _receiver = WebSocket.CreateFromStream(_serverTcp.GetStream(), new WebSocketCreationOptions { IsServer = true });
    }

    public Task DisposeAsync()
    {
        _sender.Dispose();
        _receiver.Dispose();
        _clientTcp.Dispose();
        _serverTcp.Dispose();
        return Task.CompletedTask;
    }

    [Fact]
    public async Task A_fragmented_message_lands_behind_the_reserved_prefix_and_a_too_big_one_is_dropped_without_losing_the_next()
    {
        using var buffer = new WebSocketMessageBuffer(maxBytes: 10_000, initialSize: 16, reservedPrefix: 5);
        var whole = Enumerable.Range(0, 10_000).Select(i => (byte)i).ToArray();
        await _sender.SendAsync(whole.AsMemory(0, 3_000), WebSocketMessageType.Binary, false, default);
        await _sender.SendAsync(whole.AsMemory(3_000), WebSocketMessageType.Binary, true, default);
        var (type, tooBig) = await buffer.ReadAsync(_receiver, default);
        Assert.Equal(WebSocketMessageType.Binary, type);
        Assert.False(tooBig);
        Assert.Equal(whole, buffer.Message.ToArray());
        "HEAD!"u8.CopyTo(buffer.Prefix);
        Assert.Equal([.. "HEAD!"u8, .. whole], buffer.PrefixAndMessage.ToArray());

        await _sender.SendAsync(new byte[10_001], WebSocketMessageType.Text, true, default);
        await _sender.SendAsync("next"u8.ToArray(), WebSocketMessageType.Text, true, default);
        (_, tooBig) = await buffer.ReadAsync(_receiver, default);
        Assert.True(tooBig);
        Assert.Equal(0, buffer.Length);
        (type, tooBig) = await buffer.ReadAsync(_receiver, default);
        Assert.False(tooBig);
        Assert.Equal("next", Encoding.UTF8.GetString(buffer.Message.Span));
    }

    [Fact]
    public async Task A_handshake_read_takes_short_text_only()
    {
        await _sender.SendAsync("{\"nonce\":\"n\"}"u8.ToArray(), WebSocketMessageType.Text, true, default);
        Assert.Equal("{\"nonce\":\"n\"}", await WebSocketMessageBuffer.ReadTextAsync(_receiver, 4096, default));
        await _sender.SendAsync(new byte[5000], WebSocketMessageType.Text, true, default);
        Assert.Null(await WebSocketMessageBuffer.ReadTextAsync(_receiver, 4096, default));
        await _sender.SendAsync(new byte[10], WebSocketMessageType.Binary, true, default);
        Assert.Null(await WebSocketMessageBuffer.ReadTextAsync(_receiver, 4096, default));
    }
}
