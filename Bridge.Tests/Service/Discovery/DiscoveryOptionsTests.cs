using Bridge.Service.Discovery;
using Bridge.Service.Hosting;
using Bridge.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace Bridge.Tests.Service.Discovery;

public sealed class DiscoveryOptionsTests
{
    [Fact]
    public void Bad_discovery_settings_stop_start_up_with_their_keys_named()
    {
        var problems = new List<string>();
        Assert.Null(BridgeApp.Create(["--Discovery:BeaconPort=80", "--Discovery:MdnsPort=0", "--Discovery:Enabled=perhaps"], problems));
        Assert.Contains(problems, p => p.Contains("Discovery"));
        problems.Clear();
        Assert.Null(BridgeApp.Create(["--Discovery:BeaconPort=80", "--Discovery:MdnsPort=0"], problems));
        Assert.Contains(problems, p => p.Contains("Discovery:BeaconPort") && p.Contains("1024"));
        Assert.Contains(problems, p => p.Contains("Discovery:MdnsPort"));
    }

    [Fact]
    public async Task With_discovery_off_nothing_listens()
    {
        await using var bridge = await TestBridge.StartAsync(null, false, "--Discovery:Enabled=false");
        var services = bridge.App.Services;
        Assert.False(services.GetRequiredService<MdnsEndpoint>().IsOpen);
        Assert.Equal(0, services.GetRequiredService<UdpBeacon>().Port);
    }
}
