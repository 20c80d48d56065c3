using System.Net;
using Bridge.Relay.Backplane;
using Bridge.Service.Security;
using Bridge.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace Bridge.Tests.Relay.Backplane.Redis;

/// <summary>Two relay nodes on one real Redis serve as one relay: a client on either node reaches a
/// bridge linked to either node, with the same isolation as on one node.</summary>
public sealed class RedisRelayTests : IAsyncLifetime
{
    private readonly RedisServerFixture _redis = new();
    private TestRelay _node1 = null!, _node2 = null!;
    private TestBridge _a = null!, _b = null!;

    public async Task InitializeAsync()
    {
        await _redis.StartAsync();
        _node1 = await RedisRelayNodes.StartAsync(_redis.ConnectionString);
        _node2 = await RedisRelayNodes.StartAsync(_redis.ConnectionString);
        _a = await RelayedBridge.StartAsync(_node2.Url);
        _b = await RelayedBridge.StartAsync(_node1.Url);
        await Task.WhenAll(_a.WaitConnectedAsync(), _b.WaitConnectedAsync());
    }

    public async Task DisposeAsync()
    {
        await _a.DisposeAsync();
        await _b.DisposeAsync();
        await _node1.DisposeAsync();
        await _node2.DisposeAsync();
        await _redis.DisposeAsync();
    }

    [Fact]
    public async Task A_client_on_one_node_drives_a_bridge_linked_to_the_other_events_included()
    {
        await using var client = await ApiClient.ConnectAsync(_node1.ClientUrl(_a.App.BridgeId), _a.Token());
        JsonAssert.Ok(await client.RequestAsync(new { op = "ping" }));
        var devices = await client.RequestAsync(new { op = "devices" });
        Assert.Contains(devices.GetProperty("devices").EnumerateArray(), d => d.GetProperty("id").GetString() == "ac-1");
        JsonAssert.Ok(await client.RequestAsync(new { op = "subscribe" }));

        var set = await client.RequestAsync(new { op = "set", device = "lamp-1", state = new { power = "on", brightness = 62 } });
        JsonAssert.Ok(set);
        Assert.Equal(62, set.GetProperty("state").GetProperty("brightness").GetInt32());
        Assert.Equal(62, Convert.ToInt32(_a.Home["lamp-1"].Snapshot()["brightness"]));
        await client.WaitStateEventAsync("lamp-1", s => s.GetProperty("brightness").GetInt32() == 62);

        // A change made on the LAN reaches the subscriber on the other node.
        await using (var local = await _a.ConnectAsync())
            JsonAssert.Ok(await local.RequestAsync(new { op = "set", device = "lamp-1", state = new { brightness = 18 } }));
        await client.WaitStateEventAsync("lamp-1", s => s.GetProperty("brightness").GetInt32() == 18);

        // Bad input is answered by the bridge across nodes too, and the session goes on.
        JsonAssert.Error(await client.SendRawAsync("{not json"), "bad_request");
        JsonAssert.Ok(await client.RequestAsync(new { op = "ping" }));

        var metrics = await RedisRelayNodes.MetricsAsync(_node1);
        Assert.Matches("relay_backplane_frames_published_total [1-9]", metrics);
        Assert.Matches("relay_backplane_frames_received_total [1-9]", metrics);
        Assert.Contains("relay_backplane_redis_connected 1", metrics);
    }

    [Fact]
    public async Task Many_requests_in_a_row_come_back_in_order_across_nodes()
    {
        await using var client = await ApiClient.ConnectAsync(_node1.ClientUrl(_a.App.BridgeId), _a.Token());
        // Sent back to back without waiting; the bridge answers pings in order, so the replies must
        // arrive in order unless the node-to-node path reorders frames. Fewer than Relay:TokenBurst
        // (400), so the relay forwards them all rather than answering some busy itself.
        var texts = Enumerable.Range(1, 390).Select(i => $"{{\"id\":\"o{i}\",\"op\":\"ping\"}}").ToList();
        foreach (var text in texts) await client.SendTextAsync(text);
        for (var i = 1; i <= texts.Count; i++)
        {
            var reply = await client.NextUnmatchedAsync();
            Assert.Equal($"o{i}", reply.GetProperty("id").GetString());
        }
    }

    [Fact]
    public async Task Tokens_and_ids_stay_isolated_across_nodes()
    {
        // A token for bridge B (linked to node 1), used on node 2 for bridge A (linked to node 2) and
        // the other way round: refused before anything reaches a bridge.
        Assert.Equal(HttpStatusCode.Forbidden, (await RedisRelayNodes.UpgradeAsync(_node1, _a.App.BridgeId, _b.Token())).Status);
        Assert.Equal(HttpStatusCode.Forbidden, (await RedisRelayNodes.UpgradeAsync(_node2, _b.App.BridgeId, _a.Token())).Status);
        var expired = _a.App.MintToken("old", TokenScope.Control, TimeSpan.FromSeconds(-5));
        Assert.Equal(HttpStatusCode.Unauthorized, (await RedisRelayNodes.UpgradeAsync(_node1, _a.App.BridgeId, expired)).Status);
        Assert.Equal(HttpStatusCode.NotFound, (await RedisRelayNodes.UpgradeAsync(_node1, "aaaaaaaaaaaaaaaa", _a.Token())).Status);

        // Neither node lets another key take an id registered on the other node.
        using var stranger = System.Security.Cryptography.ECDsa.Create(System.Security.Cryptography.ECCurve.NamedCurves.nistP256);
        var takeover = stranger.ExportSubjectPublicKeyInfo();
        Assert.False(await Backplane(_node1).TryRegisterAsync(_a.App.BridgeId, takeover));
        Assert.False(await Backplane(_node2).TryRegisterAsync(_b.App.BridgeId, takeover));
        await using var client = await ApiClient.ConnectAsync(_node2.ClientUrl(_b.App.BridgeId), _b.Token());
        JsonAssert.Ok(await client.RequestAsync(new { op = "ping" }));
    }

    [Fact]
    public async Task A_token_revoked_at_a_bridge_is_refused_at_the_other_node_within_seconds()
    {
        var phone = _a.App.MintToken("phone", TokenScope.Control);
        await using var open = await ApiClient.ConnectAsync(_node1.ClientUrl(_a.App.BridgeId), phone);
        JsonAssert.Ok(await open.RequestAsync(new { op = "ping" }));
        await using var admin = await _a.ConnectAsync(TokenScope.Admin);
        var jti = (await admin.RequestAsync(new { op = "tokens" })).GetProperty("tokens").EnumerateArray()
            .Single(t => t.GetProperty("name").GetString() == "phone").GetProperty("jti").GetString();
        JsonAssert.Ok(await admin.RequestAsync(new { op = "revoke", jti }));

        await Infrastructure.Wait.UntilAsync(async () =>
        {
            var (status, body) = await RedisRelayNodes.UpgradeAsync(_node1, _a.App.BridgeId, phone);
            return status == HttpStatusCode.Unauthorized && body.Contains("revoked");
        }, TimeSpan.FromSeconds(5), "node 1 to refuse the token revoked at the bridge linked to node 2");
        // The session open on node 1 with that token is closed by the bridge, across nodes.
        await Infrastructure.Wait.UntilAsync(() => open.State != System.Net.WebSockets.WebSocketState.Open, TimeSpan.FromSeconds(5), "the open session to close");
        Assert.Equal(4401, (int?)open.CloseStatus);
    }

    private static IRelayBackplane Backplane(TestRelay relay) => relay.App.Services.GetRequiredService<IRelayBackplane>();
}
