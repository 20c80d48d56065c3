using Bridge.Simulator;
using Bridge.Simulator.Home;
using Bridge.Simulator.Shelly;
using Bridge.Simulator.Tasmota;
using Bridge.Simulator.Yeelight;

namespace Bridge.Tests.Simulator.Home;

/// <summary>The home starts and stops twins of any protocol the same way: each twin knows what starting means
/// for it (join the broker, open its sockets, serve its local RPC).</summary>
public sealed class SimulatedHomeTests
{
    [Fact]
    public async Task A_scenario_with_bulbs_plugs_and_lamps_starts_each_twin_through_the_generic_path()
    {
        await using var broker = await SimBroker.StartAsync();
        await using var home = SimulatedHome.FromScenario("""
            { "devices": [
              { "protocol": "yeelight", "type": "ct_bulb", "id": "0x00000000000b0b01", "name": "Bulb" },
              { "protocol": "shelly", "type": "plug", "id": "shellyplusplugs-e86beae8b1c1", "name": "Plug", "local_rpc": true },
              { "protocol": "tasmota", "type": "ct_light", "id": "lamp-9", "name": "Lamp" }
            ] }
            """);
        Assert.Equal(["yeelight-00000000000b0b01", "shellyplusplugs-e86beae8b1c1", "lamp-9"], home.Twins.Select(t => t.DeviceId));

        await home.StartAsync(SimBroker.Host, broker.Port);

        var bulb = Assert.Single(home.TwinsOf<SimulatedBulb>());
        Assert.NotEqual(0, bulb.ControlPort);
        Assert.NotNull(bulb.UnicastSearchEndPoint);
        var plug = Assert.IsType<ShellyPlug>(home["shellyplusplugs-e86beae8b1c1"]);
        Assert.True(plug.IsConnected);
        Assert.Equal(plug.Id, plug.LocalRpc?.Id);
        Assert.NotEqual(0, plug.LocalRpc!.Port);
        Assert.True(Assert.IsType<TasmotaLight>(home["lamp-9"]).IsConnected);
    }

    [Fact]
    public async Task The_home_starts_and_stops_a_twin_of_a_protocol_it_has_never_heard_of()
    {
        var twins = new[] { new RecordingTwin("gadget-1"), new RecordingTwin("gadget-2") };
        var home = new SimulatedHome(twins) { LanOnMulticast = true };

        await home.StartAsync("broker.example", 1884);
        Assert.All(twins, t => Assert.Equal(new HomeNetwork("broker.example", 1884, Multicast: true), t.StartedOn));
        Assert.Empty(home.Devices);
        Assert.Empty(home.Lan);

        await home.DisposeAsync();
        Assert.All(twins, t => Assert.True(t.Disposed));
    }

    [Fact]
    public async Task Two_twins_of_one_id_are_refused_whatever_their_protocols()
    {
        await using var lamp = new TasmotaLight("same", "Lamp", "4C11AE0D1AFF", colorTemperature: true);
        var e = Assert.Throws<ArgumentException>(() => new SimulatedHome([lamp, new RecordingTwin("same")]));
        Assert.Contains("'same'", e.Message);
    }
}
