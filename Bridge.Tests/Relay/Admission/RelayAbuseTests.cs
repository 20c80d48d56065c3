using System.Net;
using System.Net.WebSockets;
using System.Text;
using Bridge.Protocols.Relay;
using Bridge.Relay.Metrics;
using Bridge.Tests.Infrastructure;
using Bridge.Tests.Service.Relay;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace Bridge.Tests.Relay.Admission;

/// <summary>Floods, slow and half-open peers at the relay: each is refused or dropped with a clear
/// code and counted, and everyone else carries on.</summary>
public sealed class RelayAbuseTests
{
    [Fact]
    public async Task A_flood_of_connection_attempts_from_one_address_gets_429_while_another_address_connects_and_commands()
    {
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var relay = await TestRelay.StartAsync(0, s => s.AddSingleton<TimeProvider>(time),
            "--Relay:HandshakesPerSecondPerAddress=1", "--Relay:HandshakeBurstPerAddress=3");
        await using var bridge = await RelayedBridge.StartAsync(relay.Url); // one attempt from 127.0.0.1
        await bridge.WaitConnectedAsync();

        // The attacker, from 127.0.0.2, without a token: 3 attempts get as far as 401, the rest 429.
        using var flooder = RawUpgrade.ClientFrom(IPAddress.Parse("127.0.0.2"));
        var url = relay.HttpUrl($"/api/v1/bridges/{bridge.App.BridgeId}/ws");
        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 10; i++)
        {
            using var response = await flooder.GetAsync(url);
            statuses.Add(response.StatusCode);
            if (response.StatusCode == HttpStatusCode.TooManyRequests)
            {
                Assert.Equal("1", response.Headers.RetryAfter?.ToString());
                await RefusalAssert.BodyAsync(response, HttpStatusCode.TooManyRequests,
                    """{"ok":false,"error":{"code":"busy","message":"too many connection attempts from your address; retry later"}}""");
            }
        }
        Assert.Equal(3, statuses.Count(s => s == HttpStatusCode.Unauthorized));
        Assert.Equal(7, statuses.Count(s => s == HttpStatusCode.TooManyRequests));

        // The home's own phone, from 127.0.0.1, is not affected.
        await using (var phone = await ApiClient.ConnectAsync(relay.ClientUrl(bridge.App.BridgeId), bridge.Token()))
            JsonAssert.Ok(await phone.RequestAsync(new { op = "set", device = "lamp-1", state = new { brightness = 42 } }));
        Assert.Contains("relay_refusals_total{reason=\"too_many_handshakes\"} 7", relay.App.Services.GetRequiredService<RelayMetrics>().Render());

        // The attacker's allowance comes back with time.
        time.Advance(TimeSpan.FromSeconds(2));
        using (var later = await flooder.GetAsync(url)) Assert.Equal(HttpStatusCode.Unauthorized, later.StatusCode);
    }

    [Fact]
    public async Task A_bridge_that_upgrades_and_never_answers_the_challenge_is_closed_with_1008_and_counted()
    {
        await using var relay = await TestRelay.StartAsync(0, null, "--Relay:HandshakeTimeout=00:00:01");
        using var slow = new ClientWebSocket();
        await slow.ConnectAsync(new Uri(relay.Url + "/api/v1/bridge"), CancellationToken.None);
        var buffer = new byte[4096];
        var challenge = await slow.ReceiveAsync(buffer, CancellationToken.None);
        Assert.NotNull(RelayHandshake.ReadNonce(Encoding.UTF8.GetString(buffer, 0, challenge.Count)));

        // Says nothing more: the relay closes with a reason instead of holding the socket.
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(15));
        var closed = await slow.ReceiveAsync(buffer, deadline.Token);
        Assert.Equal(WebSocketMessageType.Close, closed.MessageType);
        Assert.Equal(WebSocketCloseStatus.PolicyViolation, slow.CloseStatus);
        Assert.Equal("identity handshake timed out", slow.CloseStatusDescription);
        var metrics = relay.App.Services.GetRequiredService<RelayMetrics>();
        Assert.Equal(1, metrics.Refusals(RelayMetrics.Refusal.Handshake));

        // A real bridge links and serves after it.
        await using var bridge = await RelayedBridge.StartAsync(relay.Url);
        await bridge.WaitConnectedAsync();
        await using var phone = await ApiClient.ConnectAsync(relay.ClientUrl(bridge.App.BridgeId), bridge.Token());
        JsonAssert.Ok(await phone.RequestAsync(new { op = "ping" }));
        Assert.Matches("relay_bridge_handshake_seconds_count 2\n", metrics.Render());
    }

    [Fact]
    public async Task An_upgrade_whose_headers_never_finish_gets_408_and_is_closed_while_others_connect()
    {
        await using var relay = await TestRelay.StartAsync(0, null, "--Relay:RequestHeadersTimeout=00:00:01");
        await using var bridge = await RelayedBridge.StartAsync(relay.Url);
        await bridge.WaitConnectedAsync();
        using var tcp = new System.Net.Sockets.TcpClient();
        await tcp.ConnectAsync(IPAddress.Loopback, relay.Port);
        var stream = tcp.GetStream();
        await stream.WriteAsync(Encoding.ASCII.GetBytes($"GET /api/v1/bridges/{bridge.App.BridgeId}/ws HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websock"));

        // The rest of the headers never comes: Kestrel answers 408 and closes.
        var answer = new StringBuilder();
        var buffer = new byte[1024];
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        int read;
        while ((read = await stream.ReadAsync(buffer, deadline.Token)) > 0) answer.Append(Encoding.ASCII.GetString(buffer, 0, read));
        Assert.StartsWith("HTTP/1.1 408", answer.ToString());

        await using var phone = await ApiClient.ConnectAsync(relay.ClientUrl(bridge.App.BridgeId), bridge.Token());
        JsonAssert.Ok(await phone.RequestAsync(new { op = "ping" }));
    }

    [Fact]
    public async Task A_half_open_client_that_never_answers_pings_is_dropped_while_a_live_client_stays()
    {
        await using var relay = await TestRelay.StartAsync(0, null, "--Relay:KeepAlive=00:00:01");
        await using var bridge = await RelayedBridge.StartAsync(relay.Url);
        await bridge.WaitConnectedAsync();
        await using var live = await ApiClient.ConnectAsync(relay.ClientUrl(bridge.App.BridgeId), bridge.Token());

        // Upgrades, then reads what arrives (the relay's pings) but never writes a pong: the relay
        // must give up on it rather than keep its socket and its per-address slot forever.
        var (tcp, head) = await RawUpgrade.OpenAsync(relay.Port, $"/api/v1/bridges/{bridge.App.BridgeId}/ws", bridge.Token());
        using var _ = tcp;
        Assert.StartsWith("HTTP/1.1 101", head);
        var stream = tcp.GetStream();
        var buffer = new byte[1024];
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        try
        {
            while (await stream.ReadAsync(buffer, deadline.Token) > 0) { }
        }
        catch (IOException)
        {
            // A reset is a drop too.
        }
        Assert.False(deadline.IsCancellationRequested, "the relay kept a peer that answers no pings");

        // The live client answered every ping (its WebSocket does so by itself) and still works.
        JsonAssert.Ok(await live.RequestAsync(new { op = "set", device = "lamp-1", state = new { brightness = 33 } }));
    }

    [Fact]
    public async Task A_bridge_whose_relay_goes_silent_drops_the_link_and_redials()
    {
        // The fake relay accepts the link and then never answers a heartbeat: a half-open connection.
        await using var relay = await FakeRelay.StartAsync();
        await using var bridge = await TestBridge.StartAsync(null, true, $"--Relay:Url={relay.Url}",
            "--Relay:HeartbeatInterval=00:00:01", "--Relay:ReconnectMin=00:00:00.05", "--Relay:ReconnectMax=00:00:00.5");
        await bridge.WaitConnectedAsync(2);
        // The local API never depended on the link.
        await using var local = await bridge.ConnectAsync();
        JsonAssert.Ok(await local.RequestAsync(new { op = "ping" }));
    }
}
