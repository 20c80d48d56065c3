using System.Net;
using System.Net.WebSockets;
using Bridge.Tests.Infrastructure;
using Bridge.Tests.Integration;

namespace Bridge.Tests.Relay;

/// <summary>A relay node killed outright (a process, SIGKILL): it cleans nothing up, so what it held in
/// Redis expires; clients elsewhere are told, and it all comes back when the node does.</summary>
public sealed class RedisNodeCrashTests : IAsyncLifetime
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(20);
    private readonly RedisServerFixture _redis = new();

    public Task InitializeAsync() => _redis.StartAsync();

    public Task DisposeAsync() => _redis.DisposeAsync();

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
