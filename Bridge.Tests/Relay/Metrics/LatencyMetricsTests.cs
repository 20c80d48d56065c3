using System.Globalization;
using System.Text.RegularExpressions;
using Bridge.Tests.Infrastructure;

namespace Bridge.Tests.Relay.Metrics;

/// <summary>Latency histograms on both <c>/metrics</c> pages, scraped over HTTP after real traffic
/// through a relay.</summary>
public sealed partial class LatencyMetricsTests
{
    [Fact]
    public async Task Relay_and_bridge_metrics_count_the_latencies_of_relayed_traffic()
    {
        await using var relay = await TestRelay.StartAsync();
        await using var bridge = await RelayedBridge.StartAsync(relay.Url);
        await bridge.WaitConnectedAsync();
        await using (var phone = await ApiClient.ConnectAsync(relay.ClientUrl(bridge.App.BridgeId), bridge.Token()))
        {
            for (var i = 0; i < 5; i++) JsonAssert.Ok(await phone.RequestAsync(new { op = "ping" }));
            JsonAssert.Ok(await phone.RequestAsync(new { op = "set", device = "lamp-1", state = new { brightness = 20 } }));
            JsonAssert.Ok(await phone.RequestAsync(new { op = "set", device = "lamp-1", state = new { brightness = 21 } }));
            JsonAssert.Error(await phone.RequestAsync(new { op = "set", device = "no-such-lamp", state = new { power = "on" } }), "unknown_device");
            JsonAssert.Error(await phone.RequestAsync(new { op = "set", device = "lamp-1", state = new { brightness = 500 } }), "invalid_value");
        }

        using var http = new HttpClient();
        var relayMetrics = await http.GetStringAsync(relay.HttpUrl("/metrics"));
        // 9 requests in, 9 replies out; the session's open envelope is the relay's own and not timed.
        Assert.Equal(9, Value(relayMetrics, "relay_frame_residence_seconds_count{direction=\"to_bridge\"}"));
        Assert.Equal(9, Value(relayMetrics, "relay_frame_residence_seconds_count{direction=\"to_client\"}"));
        Assert.Equal(9, Value(relayMetrics, "relay_frame_residence_seconds_bucket{direction=\"to_client\",le=\"+Inf\"}"));
        Assert.True(Value(relayMetrics, "relay_frame_residence_seconds_sum{direction=\"to_bridge\"}") > 0);
        Assert.Equal(1, Value(relayMetrics, "relay_bridge_handshake_seconds_count"));
        AssertBucketsCumulative(relayMetrics, "relay_frame_residence_seconds_bucket{direction=\"to_bridge\"");

        var bridgeMetrics = await http.GetStringAsync(bridge.Url.Replace("ws://", "http://").Replace("/api/v1/ws", "") + "/metrics");
        Assert.Equal(2, Value(bridgeMetrics, "bridge_command_seconds_count{outcome=\"ok\"}"));
        Assert.Equal(1, Value(bridgeMetrics, "bridge_command_seconds_count{outcome=\"unknown_device\"}"));
        Assert.Equal(1, Value(bridgeMetrics, "bridge_command_seconds_count{outcome=\"invalid_value\"}"));
        Assert.True(Value(bridgeMetrics, "bridge_command_seconds_sum{outcome=\"ok\"}") > 0);
        Assert.Contains("# TYPE bridge_command_seconds histogram", bridgeMetrics);
        Assert.DoesNotContain("outcome=\"timeout\"", bridgeMetrics);
        AssertBucketsCumulative(bridgeMetrics, "bridge_command_seconds_bucket{outcome=\"ok\"");
    }

    private static double Value(string metrics, string series)
    {
        var line = metrics.Split('\n').SingleOrDefault(l => l.StartsWith(series + " ", StringComparison.Ordinal))
                   ?? throw new Xunit.Sdk.XunitException($"no series {series} in:\n{metrics}");
        return double.Parse(line[(series.Length + 1)..], CultureInfo.InvariantCulture);
    }

    private static void AssertBucketsCumulative(string metrics, string prefix)
    {
        var counts = metrics.Split('\n').Where(l => l.StartsWith(prefix, StringComparison.Ordinal))
            .Select(l => long.Parse(BucketValue().Match(l).Groups[1].Value, CultureInfo.InvariantCulture)).ToList();
        Assert.Equal(18, counts.Count);
        Assert.Equal(counts.Order(), counts);
    }

    [GeneratedRegex(@"\} (\d+)$")]
    private static partial Regex BucketValue();
}
