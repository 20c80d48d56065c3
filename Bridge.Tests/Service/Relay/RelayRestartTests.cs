using Bridge.Tests.Infrastructure;

namespace Bridge.Tests.Service.Relay;

/// <summary>The relay goes away and comes back on the same port: the bridge redials by itself, its
/// local API never stops, and clients reconnect through the new relay.</summary>
public sealed class RelayRestartTests
{
    [Fact]
    public async Task The_bridge_reconnects_after_a_relay_restart_and_the_local_API_keeps_working()
    {
        var relay = await TestRelay.StartAsync();
        var port = relay.Port;
        await using var bridge = await RelayedBridge.StartAsync(relay.Url);
        await bridge.WaitConnectedAsync();
        await using (var client = await ApiClient.ConnectAsync(relay.ClientUrl(bridge.App.BridgeId), bridge.Token()))
        {
            JsonAssert.Ok(await client.RequestAsync(new { op = "ping" }));
            await relay.DisposeAsync();
            // The relayed client sees its connection end.
            await Infrastructure.Wait.UntilAsync(() => client.State != System.Net.WebSockets.WebSocketState.Open, TimeSpan.FromSeconds(10), "the relayed client to be dropped");
        }

        // No relay: the local API is unaffected.
        await using (var local = await bridge.ConnectAsync())
            JsonAssert.Ok(await local.RequestAsync(new { op = "set", device = "lamp-1", state = new { brightness = 33 } }));

        await using var again = await TestRelay.StartAsync(port);
        await bridge.WaitConnectedAsync(times: 2);
        Assert.True(bridge.Link().IsConnected);
        await using var back = await ApiClient.ConnectAsync(again.ClientUrl(bridge.App.BridgeId), bridge.Token());
        var set = await back.RequestAsync(new { op = "set", device = "lamp-1", state = new { brightness = 44 } });
        JsonAssert.Ok(set);
    }

    [Fact]
    public async Task A_bridge_whose_relay_is_unreachable_starts_and_serves_locally()
    {
        var deadPort = Infrastructure.FreePort.GetTcp();
        await using var bridge = await RelayedBridge.StartAsync($"ws://127.0.0.1:{deadPort}");
        await using var local = await bridge.ConnectAsync();
        JsonAssert.Ok(await local.RequestAsync(new { op = "devices" }));
        Assert.False(bridge.Link().IsConnected);
    }
}
