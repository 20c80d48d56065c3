using System.Net;
using System.Net.Sockets;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using Bridge.Protocols.Relay;
using Bridge.Relay.Metrics;
using Bridge.Service.Hosting;
using Bridge.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace Bridge.Tests.Relay.Admission;

/// <summary>Limits and bad input at the relay: each gets a clear refusal and is counted, and the node
/// keeps serving everyone else.</summary>
public sealed class RelayLimitsTests
{
    [Fact]
    public async Task Connections_over_the_per_address_cap_get_429()
    {
        await using var relay = await TestRelay.StartAsync(0, null, "--Relay:MaxConnectionsPerAddress=2");
        await using var bridge = await RelayedBridge.StartAsync(relay.Url);
        await bridge.WaitConnectedAsync(); // the bridge's link is one connection from 127.0.0.1
        await using var first = await ApiClient.ConnectAsync(relay.ClientUrl(bridge.App.BridgeId), bridge.Token());
        using var http = new HttpClient();
        http.DefaultRequestHeaders.Authorization = new("Bearer", bridge.Token());
        using var refused = await http.GetAsync(relay.HttpUrl($"/api/v1/bridges/{bridge.App.BridgeId}/ws"));
        Assert.Equal(HttpStatusCode.TooManyRequests, refused.StatusCode);
        JsonAssert.Ok(await first.RequestAsync(new { op = "ping" }));
        Assert.Equal(1, relay.App.Services.GetRequiredService<RelayMetrics>().Refusals(RelayMetrics.Refusal.TooManyConnections));
    }

    [Fact]
    public async Task A_bridge_that_cannot_sign_the_nonce_is_refused()
    {
        await using var relay = await TestRelay.StartAsync();
        using var socket = new ClientWebSocket();
        await socket.ConnectAsync(new Uri(relay.Url + "/api/v1/bridge"), CancellationToken.None);
        var buffer = new byte[4096];
        var challenge = await socket.ReceiveAsync(buffer, CancellationToken.None);
        var nonce = RelayHandshake.ReadNonce(Encoding.UTF8.GetString(buffer, 0, challenge.Count));
        Assert.NotNull(nonce);
        using var key = System.Security.Cryptography.ECDsa.Create(System.Security.Cryptography.ECCurve.NamedCurves.nistP256);
        // A replayed answer: signed over some other nonce.
        await socket.SendAsync(Encoding.UTF8.GetBytes(RelayHandshake.Answer(key, "an-old-nonce")), WebSocketMessageType.Text, true, CancellationToken.None);
        var verdict = await socket.ReceiveAsync(buffer, CancellationToken.None);
        using var doc = JsonDocument.Parse(buffer.AsMemory(0, verdict.Count));
        Assert.False(doc.RootElement.GetProperty("ok").GetBoolean());
        var close = await socket.ReceiveAsync(buffer, CancellationToken.None);
        Assert.Equal(WebSocketMessageType.Close, close.MessageType);
        Assert.Equal(WebSocketCloseStatus.PolicyViolation, socket.CloseStatus);
        Assert.Equal(1, relay.App.Services.GetRequiredService<RelayMetrics>().Refusals(RelayMetrics.Refusal.Handshake));
        using var http = new HttpClient();
        using var unknown = await http.GetAsync(relay.HttpUrl($"/api/v1/bridges/{BridgeIds.Of(key.ExportSubjectPublicKeyInfo())}/ws"));
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
    }

    [Fact]
    public async Task An_oversized_frame_gets_the_apis_bad_request_from_the_relay_and_the_next_frame_works()
    {
        await using var relay = await TestRelay.StartAsync(0, null, "--Relay:MaxFrameBytes=2048");
        await using var bridge = await RelayedBridge.StartAsync(relay.Url);
        await bridge.WaitConnectedAsync();
        await using var client = await ApiClient.ConnectAsync(relay.ClientUrl(bridge.App.BridgeId), bridge.Token());

        var reply = await client.SendRawAsync("{\"id\":\"big\",\"op\":\"ping\",\"pad\":\"" + new string('x', 3000) + "\"}");

        // Byte for byte what the bridge itself answers an oversized frame with.
        Assert.Equal("""{"id":null,"ok":false,"error":{"code":"bad_request","message":"frame is over the 2048-byte limit"}}""", reply.GetRawText());
        JsonAssert.Ok(await client.RequestAsync(new { op = "ping" }));
    }

    [Fact]
    public async Task A_client_that_stops_reading_is_closed_and_does_not_stall_another_client_of_the_same_bridge()
    {
        await using var relay = await TestRelay.StartAsync(0, null, "--Relay:ClientSendQueue=16");
        await using var bridge = await RelayedBridge.StartAsync(relay.Url);
        await bridge.WaitConnectedAsync();
        await using var healthy = await ApiClient.ConnectAsync(relay.ClientUrl(bridge.App.BridgeId), bridge.Token());

        // A phone that sends requests but never reads: a small receive window, nothing read.
        var (tcp, head) = await RawUpgrade.OpenAsync(relay.Port, $"/api/v1/bridges/{bridge.App.BridgeId}/ws", bridge.Token(), 4096);
        using var _ = tcp;
        var stream = tcp.GetStream();
        Assert.StartsWith("HTTP/1.1 101", head);
        using var slow = WebSocket.CreateFromStream(stream, new WebSocketCreationOptions { IsServer = false });

        var metrics = relay.App.Services.GetRequiredService<RelayMetrics>();
        var request = Encoding.UTF8.GetBytes("{\"id\":\"d\",\"op\":\"devices\"}");
        for (var i = 0; i < 20_000 && metrics.Render().Contains("relay_slow_clients_closed_total 0"); i++)
        {
            await slow.SendAsync(request, WebSocketMessageType.Text, true, CancellationToken.None);
            if (i % 100 == 0) JsonAssert.Ok(await healthy.RequestAsync(new { op = "ping" }, TimeSpan.FromSeconds(5)));
        }
        Assert.Contains("relay_slow_clients_closed_total 1", metrics.Render());
        JsonAssert.Ok(await healthy.RequestAsync(new { op = "set", device = "lamp-1", state = new { brightness = 61 } }));
    }

    [Fact]
    public void A_bad_relay_url_on_the_bridge_is_a_start_up_problem()
    {
        var problems = new List<string>();
        Assert.Null(BridgeApp.Create(["--Relay:Url=http://relay.example", "--Relay:HeartbeatInterval=00:00:00"], problems));
        Assert.Contains(problems, p => p.Contains("Relay:Url"));
        Assert.Contains(problems, p => p.Contains("Relay:HeartbeatInterval"));
    }
}

/// <summary>The per-token rate at the relay, on a fake clock.</summary>
public sealed class RelayTokenRateTests
{
    [Fact]
    public async Task A_token_over_its_rate_gets_busy_from_the_relay_with_its_request_id_and_recovers()
    {
        var time = new Microsoft.Extensions.Time.Testing.FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var relay = await TestRelay.StartAsync(0, s => s.AddSingleton<TimeProvider>(time),
            "--Relay:TokenFramesPerSecond=1", "--Relay:TokenBurst=3");
        await using var bridge = await RelayedBridge.StartAsync(relay.Url);
        await bridge.WaitConnectedAsync();
        var token = bridge.Token();
        await using var first = await ApiClient.ConnectAsync(relay.ClientUrl(bridge.App.BridgeId), token);
        await using var second = await ApiClient.ConnectAsync(relay.ClientUrl(bridge.App.BridgeId), token);
        JsonAssert.Ok(await first.RequestAsync(new { op = "ping" }));
        JsonAssert.Ok(await second.RequestAsync(new { op = "ping" }));
        JsonAssert.Ok(await first.RequestAsync(new { op = "ping" }));
        // The bucket is shared by the token's connections: the fourth frame is over.
        var refused = await second.RequestAsync(new { op = "ping" });
        JsonAssert.Error(refused, "busy");
        Assert.StartsWith("r", refused.GetProperty("id").GetString());
        await using (var other = await ApiClient.ConnectAsync(relay.ClientUrl(bridge.App.BridgeId), bridge.Token()))
            JsonAssert.Ok(await other.RequestAsync(new { op = "ping" })); // another token is not affected
        time.Advance(TimeSpan.FromSeconds(2));
        JsonAssert.Ok(await second.RequestAsync(new { op = "ping" }));
        Assert.Contains("relay_rate_limited_frames_total 1", relay.App.Services.GetRequiredService<RelayMetrics>().Render());
    }
}
