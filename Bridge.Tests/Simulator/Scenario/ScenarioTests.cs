using Bridge.Simulator.Home;
using Bridge.Simulator;
using Bridge.Simulator.Tasmota;
using Bridge.Simulator.Yeelight;

namespace Bridge.Tests.Simulator.Scenario;

/// <summary>Scenario files, the demo home and the load-test lamps, without a broker.</summary>
public sealed class ScenarioTests
{
    internal static string RepoFile(string relative)
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var path = Path.Combine(dir.FullName, relative);
            if (File.Exists(path)) return path;
        }
        throw new FileNotFoundException(relative);
    }

    [Fact]
    public async Task The_demo_scenario_file_describes_the_demo_home()
    {
        await using var fromFile = SimulatedHome.FromScenario(RepoFile("configs/scenarios/demo.json"));
        await using var demo = SimulatedHome.Demo();
        Assert.Equal(demo.Devices.Select(d => (d.Id, d.Protocol, d.Type, d.Name)), fromFile.Devices.Select(d => (d.Id, d.Protocol, d.Type, d.Name)));
        foreach (var d in demo.Devices) Assert.Equal(d.Snapshot(), fromFile[d.Id].Snapshot());
        Assert.Equal(demo.TwinsOf<SimulatedBulb>().Select(b => (b.YeelightId, b.Name)), fromFile.TwinsOf<SimulatedBulb>().Select(b => (b.YeelightId, b.Name)));
        Assert.Equal(demo.TwinsOf<SimulatedBulb>().Select(b => b.Snapshot()), fromFile.TwinsOf<SimulatedBulb>().Select(b => b.Snapshot()));
    }

    [Fact]
    public async Task The_demo_home_starts_in_the_documented_state()
    {
        await using var demo = SimulatedHome.Demo();
        Assert.Equal(5, demo.Devices.Count);
        var lamp = demo["lamp-1"].Snapshot();
        Assert.Equal("off", lamp["power"]);
        Assert.Equal(40, lamp["brightness"]);
        Assert.Equal(2703, lamp["color_temp"]);
        var ac = demo["ac-1"].Snapshot();
        Assert.Equal(("off", "cool", "auto", 26.0, 27.5), ((string)ac["power"], (string)ac["mode"], (string)ac["fan_speed"], (double)ac["target_temperature"], (double)ac["current_temperature"]));
        var heater = demo["water-heater-1"].Snapshot();
        Assert.Equal(("on", 50.0, 48.0), ((string)heater["power"], (double)heater["target_temperature"], (double)heater["current_temperature"]));
        Assert.Equal("shelly", demo["shellyplusplugs-e86beae8b1c0"].Protocol);
        Assert.Equal("shelly", demo["shellydimmerg3-84fce63ad204"].Protocol);
    }

    [Fact]
    public async Task Scenario_text_sets_state_and_faults()
    {
        await using var home = SimulatedHome.FromScenario("""
            { "devices": [
              { "protocol": "tasmota", "type": "relay_plug", "id": "fan", "state": { "power": "on" },
                "faults": { "reply_delay_ms": 250, "ignore_commands": true, "drop_rate": 0.5, "start_offline": true } },
              { "protocol": "tasmota", "type": "ct_light", "id": "desk", "name": "Desk", "state": { "color_temp": 4000 } }
            ] }
            """);
        var fan = home["fan"];
        Assert.Equal("fan", fan.Name);
        Assert.Equal("on", fan.Snapshot()["power"]);
        Assert.Equal(TimeSpan.FromMilliseconds(250), fan.Faults.ReplyDelay);
        Assert.True(fan.Faults.IgnoreCommands);
        Assert.Equal(0.5, fan.Faults.DropRate);
        Assert.True(fan.StartOffline);
        Assert.Equal(4000, home["desk"].Snapshot()["color_temp"]);
    }

    [Fact]
    public void A_bad_scenario_reports_every_problem()
    {
        var e = Assert.Throws<InvalidDataException>(() => SimulatedHome.FromScenario("""
            { "devices": [
              { "protocol": "tasmota", "type": "toaster", "id": "t1" },
              { "protocol": "shelly", "type": "plug" },
              { "protocol": "tasmota", "type": "relay_plug", "id": "p", "faults": { "drop_rate": 3 } }
            ] }
            """));
        Assert.Contains("toaster", e.Message);
        Assert.Contains("'id' is missing", e.Message);
        Assert.Contains("drop_rate", e.Message);
    }

    [Fact]
    public async Task Lamps_makes_numbered_CT_lamps_with_distinct_MACs()
    {
        await using var home = new SimulatedHome(TasmotaDemo.Lamps(3));
        Assert.Equal(["lamp-1", "lamp-2", "lamp-3"], home.Devices.Select(d => d.Id));
        var macs = home.Devices.Cast<Bridge.Simulator.Tasmota.TasmotaDevice>().Select(d => d.Mac).ToList();
        Assert.Equal(3, macs.Distinct().Count());
        Assert.All(home.Devices, d => Assert.Equal("ct_light", d.Type));
    }
}
