using System.Net.WebSockets;
using System.Text;
using Bridge.Tests.Infrastructure;

namespace Bridge.Tests.Relay.Clients;

/// <summary>A client that closes normally through the relay gets the relay's close frame back, as a
/// mini-program needs to tell a normal end from a network failure (which it would see as 1006).</summary>
public sealed class RelayCloseTests : IAsyncLifetime
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(10);
    private TestRelay _relay = null!;
    private TestBridge _bridge = null!;

    public async Task InitializeAsync()
    {
        _relay = await TestRelay.StartAsync();
        _bridge = await RelayedBridge.StartAsync(_relay.Url);
        await _bridge.WaitConnectedAsync();
    }

    public async Task DisposeAsync()
    {
        await _bridge.DisposeAsync();
        await _relay.DisposeAsync();
    }

    [Theory]
    [InlineData(WebSocketCloseStatus.NormalClosure)]
    [InlineData(WebSocketCloseStatus.EndpointUnavailable)]
    public async Task A_client_closing_through_the_relay_gets_its_close_answered_with_its_own_code(WebSocketCloseStatus code)
    {
        using var socket = new ClientWebSocket();
        socket.Options.SetRequestHeader("Authorization", "Bearer " + _bridge.Token());
        using var timeout = new CancellationTokenSource(Timeout);
        await socket.ConnectAsync(new Uri(_relay.ClientUrl(_bridge.App.BridgeId)), timeout.Token);
        await socket.SendAsync("""{"id":"1","op":"ping"}"""u8.ToArray(), WebSocketMessageType.Text, true, timeout.Token);
        var buffer = new byte[4096];
        var pong = await socket.ReceiveAsync(buffer, timeout.Token);
        Assert.Contains("\"ok\":true", Encoding.UTF8.GetString(buffer, 0, pong.Count));

        // CloseAsync sends our close and waits for the relay's; without one it throws or ends Aborted.
        await socket.CloseAsync(code, "bye", timeout.Token);
        Assert.Equal(WebSocketState.Closed, socket.State);
        Assert.Equal(code, socket.CloseStatus);
    }
}
