using System.Net;
using Bridge.Service.Security;
using Bridge.Tests.Infrastructure;

namespace Bridge.Tests.Integration;

/// <summary>Two demo bridges behind one relay: a client reaches its bridge through the relay with the
/// same messages as on the LAN.</summary>
public sealed class RelayEndToEndTests : IAsyncLifetime
{
    private TestRelay _relay = null!;
    private TestBridge _a = null!, _b = null!;

    public async Task InitializeAsync()
    {
        _relay = await TestRelay.StartAsync();
        _a = await RelayedBridge.StartAsync(_relay.Url);
        _b = await RelayedBridge.StartAsync(_relay.Url);
        await Task.WhenAll(_a.WaitConnectedAsync(), _b.WaitConnectedAsync());
    }

    public async Task DisposeAsync()
    {
        await _a.DisposeAsync();
        await _b.DisposeAsync();
        await _relay.DisposeAsync();
    }

    [Fact]
    public async Task Ping_devices_set_and_events_work_through_the_relay()
    {
        await using var client = await ApiClient.ConnectAsync(_relay.ClientUrl(_a.App.BridgeId), _a.Token(), viaQuery: true);
        JsonAssert.Ok(await client.RequestAsync(new { op = "ping" }));
        var devices = await client.RequestAsync(new { op = "devices" });
        JsonAssert.Ok(devices);
        Assert.Contains(devices.GetProperty("devices").EnumerateArray(), d => d.GetProperty("id").GetString() == "ac-1");
        JsonAssert.Ok(await client.RequestAsync(new { op = "subscribe" }));

        var set = await client.RequestAsync(new { op = "set", device = "lamp-1", state = new { power = "on", brightness = 37 } });
        JsonAssert.Ok(set);
        Assert.Equal(37, set.GetProperty("state").GetProperty("brightness").GetInt32());
        Assert.Equal("on", _a.Home["lamp-1"].Snapshot()["power"]);
        await client.WaitStateEventAsync("lamp-1", s => s.GetProperty("brightness").GetInt32() == 37);

        // A change made on the LAN reaches the relayed subscriber too.
        await using var local = await _a.ConnectAsync();
        JsonAssert.Ok(await local.RequestAsync(new { op = "set", device = "lamp-1", state = new { brightness = 55 } }));
        await client.WaitStateEventAsync("lamp-1", s => s.GetProperty("brightness").GetInt32() == 55);
    }

    [Fact]
    public async Task Each_client_reaches_only_its_own_bridge_and_errors_are_the_local_ones()
    {
        await using var toA = await ApiClient.ConnectAsync(_relay.ClientUrl(_a.App.BridgeId), _a.Token());
        await using var toB = await ApiClient.ConnectAsync(_relay.ClientUrl(_b.App.BridgeId), _b.Token());
        JsonAssert.Ok(await toA.RequestAsync(new { op = "set", device = "lamp-1", state = new { brightness = 21 } }));
        JsonAssert.Ok(await toB.RequestAsync(new { op = "set", device = "lamp-1", state = new { brightness = 84 } }));
        Assert.Equal(21, Convert.ToInt32(_a.Home["lamp-1"].Snapshot()["brightness"]));
        Assert.Equal(84, Convert.ToInt32(_b.Home["lamp-1"].Snapshot()["brightness"]));

        JsonAssert.Error(await toA.RequestAsync(new { op = "set", device = "lamp-1", state = new { brightness = 500 } }), "invalid_value");
        JsonAssert.Error(await toA.RequestAsync(new { op = "tokens" }), "forbidden");
        JsonAssert.Error(await toA.SendRawAsync("{not json"), "bad_request");
        JsonAssert.Error(await toA.SendRawAsync("{\"id\":\"big\",\"op\":\"ping\",\"pad\":\"" + new string('x', 70_000) + "\"}"), "bad_request");
        await toA.SendBytesAsync([1, 2, 3], System.Net.WebSockets.WebSocketMessageType.Binary);
        JsonAssert.Error(await toA.NextUnmatchedAsync(), "bad_request");
        JsonAssert.Ok(await toA.RequestAsync(new { op = "ping" }));
    }

    [Fact]
    public async Task Healthz_and_metrics_answer()
    {
        await using (var client = await ApiClient.ConnectAsync(_relay.ClientUrl(_a.App.BridgeId), _a.Token()))
            JsonAssert.Ok(await client.RequestAsync(new { op = "ping" }));
        using var http = new HttpClient();
        Assert.Equal("ok\n", await http.GetStringAsync(_relay.HttpUrl("/healthz")));
        using var refused = await http.GetAsync(_relay.HttpUrl($"/api/v1/bridges/{_a.App.BridgeId}/ws"));
        Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
        var metrics = await http.GetStringAsync(_relay.HttpUrl("/metrics"));
        Assert.Contains("relay_bridges_connected 2", metrics);
        Assert.Matches("relay_frames_total\\{direction=\"to_bridge\"\\} [1-9]", metrics);
        Assert.Matches("relay_refusals_total\\{reason=\"unauthorized\"\\} [1-9]", metrics);
    }

    [Fact]
    public async Task A_revoked_token_is_refused_at_the_relay_once_the_bridge_says_so()
    {
        var phone = _a.App.MintToken("phone", TokenScope.Control);
        await using var open = await ApiClient.ConnectAsync(_relay.ClientUrl(_a.App.BridgeId), phone);
        JsonAssert.Ok(await open.RequestAsync(new { op = "ping" }));
        await using var admin = await _a.ConnectAsync(TokenScope.Admin);
        var jti = (await admin.RequestAsync(new { op = "tokens" })).GetProperty("tokens").EnumerateArray()
            .Single(t => t.GetProperty("name").GetString() == "phone").GetProperty("jti").GetString();
        JsonAssert.Ok(await admin.RequestAsync(new { op = "revoke", jti }));
        using var http = new HttpClient();
        http.DefaultRequestHeaders.Authorization = new("Bearer", phone);
        await Infrastructure.Wait.UntilAsync(async () =>
        {
            using var r = await http.GetAsync(_relay.HttpUrl($"/api/v1/bridges/{_a.App.BridgeId}/ws"));
            return r.StatusCode == HttpStatusCode.Unauthorized && (await r.Content.ReadAsStringAsync()).Contains("revoked");
        }, TimeSpan.FromSeconds(5), "the relay to refuse the revoked token");
        // The session that was open when the token was revoked is closed too.
        await Infrastructure.Wait.UntilAsync(() => open.State != System.Net.WebSockets.WebSocketState.Open, TimeSpan.FromSeconds(5), "the open session to close");
        Assert.Equal(4401, (int?)open.CloseStatus);
    }
}
