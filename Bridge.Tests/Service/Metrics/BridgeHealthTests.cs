using Bridge.Tests.Infrastructure;

namespace Bridge.Tests.Service.Metrics;

public sealed class BridgeHealthTests
{
    [Fact]
    public async Task The_bridge_answers_healthz_and_metrics_with_its_relay_link()
    {
        await using var relay = await TestRelay.StartAsync();
        await using var bridge = await RelayedBridge.StartAsync(relay.Url);
        await bridge.WaitConnectedAsync();
        await using (var client = await ApiClient.ConnectAsync(relay.ClientUrl(bridge.App.BridgeId), bridge.Token()))
            JsonAssert.Ok(await client.RequestAsync(new { op = "ping" }));
        using var http = new HttpClient();
        var root = bridge.Url.Replace("ws://", "http://").Replace("/api/v1/ws", "");
        Assert.Equal("ok\n", await http.GetStringAsync(root + "/healthz"));
        var metrics = await http.GetStringAsync(root + "/metrics");
        Assert.Contains("bridge_relay_connected 1", metrics);
        Assert.Contains("bridge_relay_sessions_total 1", metrics);
        Assert.Contains("bridge_relay_sessions_refused_total 0", metrics);
        Assert.Matches("bridge_devices_online [1-9]", metrics);
    }
}
