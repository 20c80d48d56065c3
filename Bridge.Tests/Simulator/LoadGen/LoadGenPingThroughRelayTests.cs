using System.Globalization;
using System.Text.Json;
using Bridge.Relay.Metrics;
using Bridge.Simulator.LoadGen;
using Bridge.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace Bridge.Tests.Simulator.LoadGen;

/// <summary><c>loadgen --ping</c>: the relay throughput mode, end to end through a real relay.</summary>
public sealed class LoadGenPingThroughRelayTests
{
    [Fact]
    public async Task Ping_mode_drives_a_relayed_bridge_without_devices_and_every_frame_crosses_the_relay()
    {
        await using var relay = await TestRelay.StartAsync(0, null, "--Relay:TokenFramesPerSecond=1000000", "--Relay:TokenBurst=1000000");
        await using var bridge = await RelayedBridge.StartAsync(relay.Url);
        await bridge.WaitConnectedAsync();

        var stdout = new StringWriter(CultureInfo.InvariantCulture);
        var stderr = new StringWriter(CultureInfo.InvariantCulture);
        string[] args = ["--ping", "--url", relay.ClientUrl(bridge.App.BridgeId), "--token", bridge.Token(),
            "--connections", "4", "--inflight", "32", "--count", "2000", "--warmup", "100"];
        int exit = await Wait.ForAsync(LoadGenCommand.RunAsync(args, stdout, stderr, CancellationToken.None),
            TimeSpan.FromSeconds(60), "the load generator to finish");

        Assert.True(exit == 0, stderr.ToString());
        using var doc = JsonDocument.Parse(stdout.ToString());
        var result = doc.RootElement;
        Assert.Equal("ping", result.GetProperty("op").GetString());
        Assert.Equal(0, result.GetProperty("errors").GetInt64());
        Assert.Equal(0, result.GetProperty("devices").GetInt32());
        Assert.True(result.GetProperty("p50_us").GetInt64() > 0);
        // Each ping is one frame to the bridge and its reply one frame back, warm-up included.
        var metrics = relay.App.Services.GetRequiredService<RelayMetrics>();
        Assert.Equal(2100, metrics.ToBridgeResidence.Count);
        Assert.Equal(2100, metrics.ToClientResidence.Count);
    }

    [Fact]
    public void Ping_and_scene_cannot_be_combined()
    {
        LoadGenParseResult ping = LoadGenOptionsParser.Parse(["--token=t", "--ping"], _ => null);
        Assert.True(ping.Options!.Ping);
        LoadGenParseResult both = LoadGenOptionsParser.Parse(["--token=t", "--ping", "--scene"], _ => null);
        Assert.Contains("cannot be combined", both.Error);
    }
}
