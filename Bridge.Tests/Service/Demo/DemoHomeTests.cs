using Bridge.Service.Demo;
using Bridge.Service.Devices;
using Bridge.Service.Modules;
using Bridge.Service.Mqtt;
using Bridge.Simulator.Tasmota;
using Bridge.Tests.Infrastructure;
using Bridge.Tests.Simulator.Home;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Bridge.Tests.Service.Demo;

/// <summary>The demo home is made of what each protocol module brings (<see cref="IDemoDevices"/>), with no
/// protocol named in the demo itself: a module's twins are started on the embedded broker's network, and
/// <c>Demo:Lamps</c> takes the load-test home from the modules too.</summary>
public sealed class DemoHomeTests
{
    [Fact]
    public async Task A_modules_demo_devices_are_started_in_the_demo_home()
    {
        await using var bridge = await TestBridge.StartAsync(null, true, s => s.AddProtocol<GadgetModule>(new ConfigurationBuilder().Build()));

        var twin = Assert.IsType<RecordingTwin>(Assert.Single(bridge.Home.Twins, t => t.DeviceId == GadgetDemoDevices.TwinId));
        Assert.Equal(bridge.App.Services.GetRequiredService<EmbeddedBroker>().Port, twin.StartedOn?.BrokerPort);
        Assert.Same(twin, Assert.Single(bridge.App.Services.GetRequiredService<GadgetDemoDevices>().StartedWith!.All));
        // The shipped modules' devices are there beside it.
        Assert.Contains(bridge.Home.Twins, t => t.DeviceId == "lamp-1");
        Assert.Contains(bridge.Home.Twins, t => t is Bridge.Simulator.Yeelight.SimulatedBulb);
    }

    [Fact]
    public async Task Demo_Lamps_makes_the_load_test_home_from_the_Tasmota_modules_lamps_only()
    {
        await using var bridge = await TestBridge.StartAsync(null, true, "--Demo:Lamps=3");

        Assert.Equal(["lamp-1", "lamp-2", "lamp-3"], bridge.Home.Twins.Select(t => t.DeviceId));
        Assert.All(bridge.Home.Twins, t => Assert.IsType<TasmotaLight>(t));
        // The bridge waited for them at start: every lamp is known and online.
        var registry = bridge.App.Services.GetRequiredService<DeviceRegistry>();
        Assert.All(bridge.Home.Twins, t => Assert.True(registry.TryGet(t.DeviceId, out var d) && d.Online, t.DeviceId));
    }
}
