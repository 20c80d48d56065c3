using System.Net;
using System.Net.WebSockets;
using Bridge.Tests.Infrastructure;

namespace Bridge.Tests.Relay.Backplane.Redis;

/// <summary>What users see when a relay node dies or Redis restarts: cross-node sessions end with a
/// close they can act on, bridges move to a surviving node, and traffic carries on.</summary>
public sealed class RedisFailoverTests : IAsyncLifetime
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(20);
    private readonly RedisServerFixture _redis = new();

    public Task InitializeAsync() => _redis.StartAsync();

    public Task DisposeAsync() => _redis.DisposeAsync();

    [Fact]
    public async Task When_a_node_stops_its_bridge_and_clients_carry_on_through_a_surviving_node()
    {
        await using var node1 = await RedisRelayNodes.StartAsync(_redis.ConnectionString);
        var node2 = await RedisRelayNodes.StartAsync(_redis.ConnectionString);
        // The bridge knows both nodes and starts with node 2.
        await using var bridge = await RelayedBridge.StartAsync($"{node2.Url},{node1.Url}");
        await bridge.WaitConnectedAsync();
        await using var before = await ApiClient.ConnectAsync(node1.ClientUrl(bridge.App.BridgeId), bridge.Token());
        JsonAssert.Ok(await before.RequestAsync(new { op = "set", device = "lamp-1", state = new { brightness = 23 } }));

        await node2.DisposeAsync();
        await Wait.UntilAsync(() => before.State != WebSocketState.Open, Patience, "the client of the stopped node's bridge to be closed");
        await bridge.WaitConnectedAsync(times: 2);

        await using var after = await ApiClient.ConnectAsync(node1.ClientUrl(bridge.App.BridgeId), bridge.Token());
        JsonAssert.Ok(await after.RequestAsync(new { op = "subscribe" }));
        var set = await after.RequestAsync(new { op = "set", device = "lamp-1", state = new { brightness = 71 } });
        JsonAssert.Ok(set);
        Assert.Equal(71, Convert.ToInt32(bridge.Home["lamp-1"].Snapshot()["brightness"]));
        await after.WaitStateEventAsync("lamp-1", s => s.GetProperty("brightness").GetInt32() == 71);
    }

    [Fact]
    public async Task While_Redis_is_down_same_node_traffic_works_and_cross_node_traffic_resumes_after_its_restart()
    {
        await using var node1 = await RedisRelayNodes.StartAsync(_redis.ConnectionString);
        await using var node2 = await RedisRelayNodes.StartAsync(_redis.ConnectionString);
        await using var bridge = await RelayedBridge.StartAsync(node2.Url);
        await bridge.WaitConnectedAsync();
        var bridgeId = bridge.App.BridgeId;
        await using var crossNode = await ApiClient.ConnectAsync(node1.ClientUrl(bridgeId), bridge.Token());
        JsonAssert.Ok(await crossNode.RequestAsync(new { op = "ping" }));

        await _redis.KillAsync();
        // The cross-node session cannot be trusted any more: it is closed, not left hanging.
        await Wait.UntilAsync(() => crossNode.State != WebSocketState.Open, Patience, "the cross-node session to be closed");
        // A new cross-node attempt gets a clear, prompt refusal.
        var (status, body) = await RedisRelayNodes.UpgradeAsync(node1, bridgeId, bridge.Token());
        Assert.Equal(HttpStatusCode.ServiceUnavailable, status);
        Assert.Contains("relay_unavailable", body);
        Assert.Contains("relay_backplane_redis_connected 0", await RedisRelayNodes.MetricsAsync(node1));
        // The node that holds the bridge serves it as before.
        await using (var sameNode = await ApiClient.ConnectAsync(node2.ClientUrl(bridgeId), bridge.Token()))
            JsonAssert.Ok(await sameNode.RequestAsync(new { op = "set", device = "lamp-1", state = new { brightness = 12 } }));

        await _redis.StartAsync(); // same port, empty
        await Wait.UntilAsync(async () => (await RedisRelayNodes.UpgradeAsync(node1, bridgeId, bridge.Token())).Status == HttpStatusCode.SwitchingProtocols,
            Patience, "node 1 to reach the bridge on node 2 again");
        await using var again = await ApiClient.ConnectAsync(node1.ClientUrl(bridgeId), bridge.Token());
        JsonAssert.Ok(await again.RequestAsync(new { op = "subscribe" }));
        JsonAssert.Ok(await again.RequestAsync(new { op = "set", device = "lamp-1", state = new { brightness = 88 } }));
        await again.WaitStateEventAsync("lamp-1", s => s.GetProperty("brightness").GetInt32() == 88);
    }

    [Fact]
    public async Task A_node_whose_Redis_is_unreachable_starts_and_serves_the_bridges_linked_to_it()
    {
        await _redis.KillAsync();
        await using var node = await RedisRelayNodes.StartAsync(_redis.ConnectionString);
        await using var bridge = await RelayedBridge.StartAsync(node.Url);
        await bridge.WaitConnectedAsync();
        await using var client = await ApiClient.ConnectAsync(node.ClientUrl(bridge.App.BridgeId), bridge.Token());
        JsonAssert.Ok(await client.RequestAsync(new { op = "set", device = "lamp-1", state = new { brightness = 40 } }));
        Assert.Contains("relay_backplane_redis_connected 0", await RedisRelayNodes.MetricsAsync(node));

        // Once Redis is there, the node connects and shares what it holds: a second node finds the bridge.
        await _redis.StartAsync();
        await using var other = await RedisRelayNodes.StartAsync(_redis.ConnectionString);
        await Wait.UntilAsync(async () => (await RedisRelayNodes.UpgradeAsync(other, bridge.App.BridgeId, bridge.Token())).Status == HttpStatusCode.SwitchingProtocols,
            Patience, "the second node to find the bridge through Redis");
    }

    /// <summary>Killed outright (a process, SIGKILL), a node cleans nothing up: what it held in Redis expires.</summary>
    [Fact]
    public async Task When_a_node_is_killed_clients_elsewhere_are_closed_and_refused_until_its_bridge_is_back()
    {
        await using var node1 = await RedisRelayNodes.StartAsync(_redis.ConnectionString);
        var node2Args = new[] { "--Relay:Port=0", $"--Relay:Redis={_redis.ConnectionString}", "--Relay:OwnershipTtl=00:00:03" };
        var node2 = await RelayProcess.StartAsync(node2Args);
        var port2 = new Uri(node2.Url!).Port;
        // The bridge knows only node 2, so it cannot move: its ownership key has to expire.
        await using var bridge = await RelayedBridge.StartAsync(node2.Url!);
        await bridge.WaitConnectedAsync();
        var bridgeId = bridge.App.BridgeId;
        await using var client = await ApiClient.ConnectAsync(node1.ClientUrl(bridgeId), bridge.Token());
        JsonAssert.Ok(await client.RequestAsync(new { op = "subscribe" }));

        await node2.DisposeAsync(); // SIGKILL
        // An idle subscriber on node 1 is not left waiting for events that will never come.
        await Wait.UntilAsync(() => client.State != WebSocketState.Open, Patience, "node 1 to close the client of the dead node's bridge");
        Assert.Equal(1012, (int?)client.CloseStatus);
        var (status, body) = await RedisRelayNodes.UpgradeAsync(node1, bridgeId, bridge.Token());
        Assert.Equal(HttpStatusCode.ServiceUnavailable, status);
        Assert.Contains("bridge_offline", body);

        await using var restarted = await RelayProcess.StartAsync([.. node2Args.Skip(1), $"--Relay:Port={port2}"]);
        await bridge.WaitConnectedAsync(times: 2);
        await using var again = await ApiClient.ConnectAsync(node1.ClientUrl(bridgeId), bridge.Token());
        JsonAssert.Ok(await again.RequestAsync(new { op = "set", device = "lamp-1", state = new { brightness = 57 } }));
    }
}
