using Bridge.Simulator.Home;
using System.Text.Json;
using Bridge.Protocols.Tasmota;
using Bridge.Simulator;

namespace Bridge.Tests.Simulator.Tasmota;

/// <summary>The simulated Tasmota devices, watched from outside through a real broker.</summary>
public sealed class TasmotaSimulatorTests : IAsyncLifetime
{
    private SimBroker _broker = null!;
    private SimulatedHome _home = null!;
    private MqttObserver _watch = null!;

    public async Task InitializeAsync()
    {
        _broker = await SimBroker.StartAsync();
        _home = SimulatedHome.Demo();
        await _home.StartAsync(SimBroker.Host, _broker.Port);
        _watch = await _broker.ObserveAsync("stat/#", "tele/#");
    }

    public async Task DisposeAsync()
    {
        await _watch.DisposeAsync();
        await _home.DisposeAsync();
        await _broker.DisposeAsync();
    }

    [Theory]
    [InlineData("lamp-1", "Living room lamp", 2, 2)]
    [InlineData("ac-1", "Bedroom air conditioner", 0, 0)]
    [InlineData("water-heater-1", "Bathroom water heater", 1, 0)]
    public async Task Announces_a_retained_discovery_config_and_LWT_Online(string topic, string name, int relay, int lightSubtype)
    {
        await using var late = await _broker.ObserveAsync("tasmota/discovery/+/config", "tele/+/LWT");
        var lwt = await late.WaitForAsync($"tele/{topic}/LWT");
        Assert.True(lwt.Retain);
        Assert.Equal("Online", lwt.Text);

        var config = await late.WaitForAsync(m => m.Topic.StartsWith("tasmota/discovery/") && m.Text.Contains($"\"t\":\"{topic}\""));
        Assert.True(config.Retain);
        Assert.True(TasmotaDiscoveryConfig.TryParse(config.Payload, out var c, out var error), error);
        Assert.Matches("^[0-9A-F]{12}$", c!.Mac);
        Assert.Equal($"tasmota/discovery/{c.Mac}/config", config.Topic);
        Assert.Equal(name, c.FriendlyName);
        Assert.Equal("%prefix%/%topic%/", c.FullTopic);
        Assert.Equal(["cmnd", "stat", "tele"], c.Prefixes);
        Assert.Equal(relay, c.Relays[0]);
        Assert.Equal(lightSubtype, c.LightSubtype);
        Assert.Equal("Offline", c.OfflinePayload);
        Assert.Equal("Online", c.OnlinePayload);
        var json = config.Json();
        Assert.Equal(1, json.GetProperty("ver").GetInt32());
        Assert.Equal("127.0.0.1", json.GetProperty("ip").GetString());
        Assert.Equal(JsonValueKind.Array, json.GetProperty("state").ValueKind);
    }

    [Fact]
    public async Task Module_names_match_the_profiles()
    {
        await using var late = await _broker.ObserveAsync("tasmota/discovery/+/config");
        var ac = await late.WaitForAsync(m => m.Text.Contains("\"t\":\"ac-1\""));
        var heater = await late.WaitForAsync(m => m.Text.Contains("\"t\":\"water-heater-1\""));
        Assert.Matches("(?i)hvac", ac.Json().GetProperty("md").GetString()!);
        Assert.Matches("(?i)water.?heater|thermostat", heater.Json().GetProperty("md").GetString()!);
    }

    [Fact]
    public async Task Power_commands_answer_RESULT_and_plain_POWER_case_insensitively()
    {
        var mark = _watch.Mark();
        await _watch.PublishAsync("cmnd/lamp-1/power", "on");
        var result = await _watch.WaitForAsync("stat/lamp-1/RESULT", mark);
        Assert.Equal("{\"POWER\":\"ON\"}", result.Text);
        Assert.Equal("ON", (await _watch.WaitForAsync("stat/lamp-1/POWER", mark)).Text);
        Assert.Equal("on", _home["lamp-1"].Snapshot()["power"]);

        mark = _watch.Mark();
        await _watch.PublishAsync("cmnd/lamp-1/POWER", "TOGGLE");
        Assert.Equal("OFF", (await _watch.WaitForAsync("stat/lamp-1/POWER", mark)).Text);

        mark = _watch.Mark();
        await _watch.PublishAsync("cmnd/lamp-1/Power", "");
        Assert.Equal("{\"POWER\":\"OFF\"}", (await _watch.WaitForAsync("stat/lamp-1/RESULT", mark)).Text);
    }

    [Fact]
    public async Task Dimmer_turns_the_light_on_and_answers_the_light_state()
    {
        var mark = _watch.Mark();
        await _watch.PublishAsync("cmnd/lamp-1/Dimmer", "80");
        var r = (await _watch.WaitForAsync("stat/lamp-1/RESULT", mark)).Json();
        Assert.Equal("ON", r.GetProperty("POWER").GetString());
        Assert.Equal(80, r.GetProperty("Dimmer").GetInt32());
        Assert.Equal(370, r.GetProperty("CT").GetInt32());
        Assert.Equal(80, r.GetProperty("White").GetInt32());
        Assert.Equal(2, r.GetProperty("Channel").GetArrayLength());
        Assert.Equal(4, r.GetProperty("Color").GetString()!.Length);
        Assert.Equal(["POWER", "Dimmer", "Color", "White", "CT", "Channel"], r.EnumerateObject().Select(p => p.Name));
        var s = _home["lamp-1"].Snapshot();
        Assert.Equal("on", s["power"]);
        Assert.Equal(80, s["brightness"]);
    }

    [Theory]
    [InlineData("200", 200)]
    [InlineData("600", 500)]
    [InlineData("100", 153)]
    [InlineData("+", 404)]
    public async Task CT_sets_mireds_within_153_to_500(string payload, int expected)
    {
        var mark = _watch.Mark();
        await _watch.PublishAsync("cmnd/lamp-1/ct", payload);
        var r = (await _watch.WaitForAsync("stat/lamp-1/RESULT", mark)).Json();
        Assert.Equal(expected, r.GetProperty("CT").GetInt32());
        Assert.Equal(TasmotaColorTemp.MiredToKelvin(expected), _home["lamp-1"].Snapshot()["color_temp"]);
        Assert.Equal("OFF", r.GetProperty("POWER").GetString());
    }

    [Fact]
    public async Task IRHVAC_answers_the_IRHVAC_report_and_changes_state()
    {
        var mark = _watch.Mark();
        await _watch.PublishAsync("cmnd/ac-1/IRHVAC", """{"Vendor":"MITSUBISHI_AC","Celsius":"On","Power":"On","Mode":"Heat","FanSpeed":"High","Temp":22.5}""");
        var r = (await _watch.WaitForAsync("stat/ac-1/RESULT", mark)).Json().GetProperty("IRHVAC");
        Assert.Equal("MITSUBISHI_AC", r.GetProperty("Vendor").GetString());
        Assert.Equal(-1, r.GetProperty("Model").GetInt32());
        Assert.Equal("On", r.GetProperty("Power").GetString());
        Assert.Equal("Heat", r.GetProperty("Mode").GetString());
        Assert.Equal("On", r.GetProperty("Celsius").GetString());
        Assert.Equal(22.5, r.GetProperty("Temp").GetDouble());
        Assert.Equal("High", r.GetProperty("FanSpeed").GetString());
        var s = _home["ac-1"].Snapshot();
        Assert.Equal("on", s["power"]);
        Assert.Equal("heat", s["mode"]);
        Assert.Equal("high", s["fan_speed"]);
        Assert.Equal(22.5, s["target_temperature"]);
    }

    [Fact]
    public async Task IRHVAC_keeps_fields_it_is_not_given_and_rejects_bad_ones()
    {
        var mark = _watch.Mark();
        await _watch.PublishAsync("cmnd/ac-1/irhvac", """{"vendor":"MITSUBISHI_AC","power":"on"}""");
        var r = (await _watch.WaitForAsync("stat/ac-1/RESULT", mark)).Json().GetProperty("IRHVAC");
        Assert.Equal("Cool", r.GetProperty("Mode").GetString());
        Assert.Equal(26, r.GetProperty("Temp").GetDouble());

        mark = _watch.Mark();
        await _watch.PublishAsync("cmnd/ac-1/IRHVAC", """{"Vendor":"MITSUBISHI_AC","Mode":"Turbo"}""");
        Assert.Equal("Wrong Mode", (await _watch.WaitForAsync("stat/ac-1/RESULT", mark)).Json().GetProperty("IRHVAC").GetString());
        Assert.Equal("cool", _home["ac-1"].Snapshot()["mode"]);

        mark = _watch.Mark();
        await _watch.PublishAsync("cmnd/ac-1/IRHVAC", "{not json");
        Assert.Equal("Invalid JSON", (await _watch.WaitForAsync("stat/ac-1/RESULT", mark)).Json().GetProperty("IRHVAC").GetString());
    }

    [Fact]
    public async Task Thermostat_commands_answer_with_their_values()
    {
        var mark = _watch.Mark();
        await _watch.PublishAsync("cmnd/water-heater-1/ThermostatModeSet1", "0");
        Assert.Equal("{\"ThermostatModeSet1\":0}", (await _watch.WaitForAsync("stat/water-heater-1/RESULT", mark)).Text);
        Assert.Equal("off", _home["water-heater-1"].Snapshot()["power"]);

        mark = _watch.Mark();
        await _watch.PublishAsync("cmnd/water-heater-1/TempTargetSet1", "55");
        Assert.Equal("{\"TempTargetSet1\":55.0}", (await _watch.WaitForAsync("stat/water-heater-1/RESULT", mark)).Text);
        Assert.Equal(55.0, _home["water-heater-1"].Snapshot()["target_temperature"]);

        mark = _watch.Mark();
        await _watch.PublishAsync("cmnd/water-heater-1/thermostatmodeset1", "");
        Assert.Equal("{\"ThermostatModeSet1\":0}", (await _watch.WaitForAsync("stat/water-heater-1/RESULT", mark)).Text);
    }

    [Fact]
    public async Task STATE_answers_the_full_state_and_Status_10_the_sensors()
    {
        var mark = _watch.Mark();
        await _watch.PublishAsync("cmnd/lamp-1/STATE", "");
        var state = (await _watch.WaitForAsync("stat/lamp-1/RESULT", mark)).Json();
        Assert.Equal("OFF", state.GetProperty("POWER").GetString());
        Assert.Equal(40, state.GetProperty("Dimmer").GetInt32());
        Assert.Equal(370, state.GetProperty("CT").GetInt32());
        Assert.True(state.TryGetProperty("Time", out _));
        Assert.True(state.TryGetProperty("Wifi", out _));

        mark = _watch.Mark();
        await _watch.PublishAsync("cmnd/water-heater-1/Status", "10");
        var sns = (await _watch.WaitForAsync("stat/water-heater-1/STATUS10", mark)).Json().GetProperty("StatusSNS");
        Assert.Equal(48.0, sns.GetProperty("DS18B20").GetProperty("Temperature").GetDouble());
        Assert.Equal("C", sns.GetProperty("TempUnit").GetString());
    }

    [Fact]
    public async Task Unknown_commands_answer_Command_Unknown()
    {
        var mark = _watch.Mark();
        await _watch.PublishAsync("cmnd/lamp-1/Frobnicate", "1");
        Assert.Equal("{\"Command\":\"Unknown\"}", (await _watch.WaitForAsync("stat/lamp-1/RESULT", mark)).Text);
    }

    [Fact]
    public async Task Announce_includes_telemetry_with_sensor_readings()
    {
        await using var late = await _broker.ObserveAsync("tasmota/discovery/+/sensors");
        var sensors = await late.WaitForAsync(m => m.Text.Contains("SI7021"));
        var sn = sensors.Json().GetProperty("sn");
        Assert.Equal(27.5, sn.GetProperty("SI7021").GetProperty("Temperature").GetDouble());
    }
}
