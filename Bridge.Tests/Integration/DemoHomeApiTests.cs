using System.Text.Json;
using Bridge.Protocols.Tuya;
using Bridge.Service.Security;
using Bridge.Simulator.Tuya;
using Bridge.Tests.Infrastructure;

namespace Bridge.Tests.Integration;

/// <summary>What a mini-program user does with the demo home, over a real WebSocket.</summary>
public sealed class DemoHomeApiTests(DemoBridgeFixture fixture) : IClassFixture<DemoBridgeFixture>
{
    private TestBridge Bridge => fixture.Bridge;

    private static Dictionary<string, JsonElement> ById(JsonElement devices) =>
        devices.EnumerateArray().ToDictionary(d => d.GetProperty("id").GetString()!);

    [Fact]
    public async Task Lists_the_simulated_home_with_kinds_capabilities_and_state()
    {
        await using var client = await Bridge.ConnectAsync();
        var reply = await client.RequestAsync(new { op = "devices" });
        JsonAssert.Ok(reply);
        var devices = ById(reply.GetProperty("devices"));
        var kinds = devices.Values.Select(d => d.GetProperty("kind").GetString()).ToList();
        Assert.Equal(6, kinds.Count(k => k == "light")); // two MQTT lamps, two Yeelight bulbs, a Xiaomi lamp, a Tuya bulb
        Assert.Contains("air_conditioner", kinds);
        Assert.Contains("water_heater", kinds);
        Assert.Contains("plug", kinds);
        Assert.All(devices.Values, d => Assert.True(d.GetProperty("online").GetBoolean()));

        var lamp = devices["lamp-1"];
        Assert.Equal("tasmota", lamp.GetProperty("protocol").GetString());
        var caps = lamp.GetProperty("capabilities");
        Assert.Equal("int", caps.GetProperty("brightness").GetProperty("type").GetString());
        Assert.Equal(1, caps.GetProperty("brightness").GetProperty("min").GetInt32());
        Assert.Equal(100, caps.GetProperty("brightness").GetProperty("max").GetInt32());
        Assert.True(caps.TryGetProperty("color_temp", out _));
        Assert.Equal(["off", "on"], caps.GetProperty("power").GetProperty("values").EnumerateArray().Select(v => v.GetString()!));

        var ac = devices["ac-1"].GetProperty("capabilities").GetProperty("target_temperature");
        Assert.Equal(16, ac.GetProperty("min").GetDouble());
        Assert.Equal(30, ac.GetProperty("max").GetDouble());
        Assert.Equal(0.5, ac.GetProperty("step").GetDouble());
        // Read-only values and the state of devices nobody has commanded yet come from the devices' own reports.
        Assert.True(devices["ac-1"].GetProperty("state").TryGetProperty("current_temperature", out _));
        var heaterTruth = Bridge.Home["water-heater-1"].Snapshot();
        Assert.Equal(heaterTruth["power"], devices["water-heater-1"].GetProperty("state").GetProperty("power").GetString());
        Assert.Equal(Convert.ToDouble(heaterTruth["target_temperature"]), devices["water-heater-1"].GetProperty("state").GetProperty("target_temperature").GetDouble());
        var heater = devices["water-heater-1"].GetProperty("capabilities").GetProperty("target_temperature");
        Assert.Equal(35, heater.GetProperty("min").GetDouble());
        Assert.Equal(75, heater.GetProperty("max").GetDouble());
    }

    [Fact]
    public async Task Switching_a_lamp_replies_with_the_state_the_lamp_reported()
    {
        await using var client = await Bridge.ConnectAsync();
        var on = await client.RequestAsync(new { op = "set", device = "lamp-1", state = new { power = "on", brightness = 80, color_temp = 2700 } });
        JsonAssert.Ok(on);
        var state = on.GetProperty("state");
        Assert.Equal("on", state.GetProperty("power").GetString());
        Assert.Equal(80, state.GetProperty("brightness").GetInt32());
        // 2700 K is 370 mireds on the wire; the lamp reports 370, which is 2703 K.
        Assert.InRange(state.GetProperty("color_temp").GetInt32(), 2690, 2710);
        var sim = Bridge.Home["lamp-1"].Snapshot();
        Assert.Equal("on", sim["power"]);

        var off = await client.RequestAsync(new { op = "set", device = "lamp-1", state = new { power = "off" } });
        JsonAssert.Ok(off);
        Assert.Equal("off", off.GetProperty("state").GetProperty("power").GetString());
        Assert.Equal("off", Bridge.Home["lamp-1"].Snapshot()["power"]);
    }

    [Fact]
    public async Task Sets_the_air_conditioner_to_cool_at_24()
    {
        await using var client = await Bridge.ConnectAsync();
        var reply = await client.RequestAsync(new { op = "set", device = "ac-1", state = new { power = "on", mode = "cool", target_temperature = 24 } });
        JsonAssert.Ok(reply);
        var state = reply.GetProperty("state");
        Assert.Equal("on", state.GetProperty("power").GetString());
        Assert.Equal("cool", state.GetProperty("mode").GetString());
        Assert.Equal(24, state.GetProperty("target_temperature").GetDouble());
        var half = await client.RequestAsync(new { op = "set", device = "ac-1", state = new { target_temperature = 24.5 } });
        JsonAssert.Ok(half);
        Assert.Equal(24.5, half.GetProperty("state").GetProperty("target_temperature").GetDouble());
        Assert.Equal("cool", half.GetProperty("state").GetProperty("mode").GetString());
    }

    [Fact]
    public async Task Dims_the_tuya_bulb_with_the_state_it_pushed()
    {
        await using var client = await Bridge.ConnectAsync();
        var reply = await client.RequestAsync(new { op = "set", device = "tuya-" + TuyaDemo.BulbDevId, state = new { power = "on", brightness = 30 } });
        JsonAssert.Ok(reply);
        Assert.Equal(("on", 30), (reply.GetProperty("state").GetProperty("power").GetString(), reply.GetProperty("state").GetProperty("brightness").GetInt32()));
        var bulb = Bridge.Home.Lan.OfType<SimulatedTuyaDevice>().Single();
        Assert.Equal(TuyaDpValue.Of(300), bulb.Snapshot()["22"]);
        Assert.Equal(TuyaDpValue.Of(true), bulb.Snapshot()["20"]);
    }

    [Fact]
    public async Task Sets_the_water_heater_to_55()
    {
        await using var client = await Bridge.ConnectAsync();
        var reply = await client.RequestAsync(new { op = "set", device = "water-heater-1", state = new { target_temperature = 55 } });
        JsonAssert.Ok(reply);
        Assert.Equal(55, reply.GetProperty("state").GetProperty("target_temperature").GetDouble());
        var get = await client.RequestAsync(new { op = "get", device = "water-heater-1" });
        JsonAssert.Ok(get);
        Assert.Equal(55, get.GetProperty("device").GetProperty("state").GetProperty("target_temperature").GetDouble());
        Assert.True(get.GetProperty("device").GetProperty("state").TryGetProperty("current_temperature", out _));
    }

    [Fact]
    public async Task Controls_the_shelly_plug_and_dimmer()
    {
        await using var client = await Bridge.ConnectAsync();
        var devices = ById((await client.RequestAsync(new { op = "devices" })).GetProperty("devices"));
        var plug = devices.Values.Single(d => d.GetProperty("kind").GetString() == "plug").GetProperty("id").GetString()!;
        var dimmer = devices.Values.Single(d => d.GetProperty("kind").GetString() == "light" && d.GetProperty("protocol").GetString() == "shelly")
            .GetProperty("id").GetString()!;

        var plugOn = await client.RequestAsync(new { op = "set", device = plug, state = new { power = "on" } });
        JsonAssert.Ok(plugOn);
        Assert.Equal("on", plugOn.GetProperty("state").GetProperty("power").GetString());
        Assert.Equal("on", Bridge.Home[plug].Snapshot()["power"]);

        var dim = await client.RequestAsync(new { op = "set", device = dimmer, state = new { power = "on", brightness = 30 } });
        JsonAssert.Ok(dim);
        Assert.Equal(30, dim.GetProperty("state").GetProperty("brightness").GetInt32());
        Assert.Equal("on", dim.GetProperty("state").GetProperty("power").GetString());
    }

    [Fact]
    public async Task A_subscriber_sees_changes_made_by_another_client_and_by_a_button()
    {
        await using var watcher = await Bridge.ConnectAsync();
        JsonAssert.Ok(await watcher.RequestAsync(new { op = "subscribe" }));
        await using var actor = await Bridge.ConnectAsync();

        JsonAssert.Ok(await actor.RequestAsync(new { op = "set", device = "lamp-1", state = new { brightness = 33 } }));
        await watcher.WaitStateEventAsync("lamp-1", s => s.TryGetProperty("brightness", out var b) && b.GetInt32() == 33);

        var before = (string)Bridge.Home["lamp-1"].Snapshot()["power"];
        await Bridge.Home["lamp-1"].PressButtonAsync();
        var expected = before == "on" ? "off" : "on";
        await watcher.WaitStateEventAsync("lamp-1", s => s.GetProperty("power").GetString() == expected);
        var get = await actor.RequestAsync(new { op = "get", device = "lamp-1" });
        Assert.Equal(expected, get.GetProperty("device").GetProperty("state").GetProperty("power").GetString());
    }

    [Fact]
    public async Task Ping_answers_and_the_query_string_token_works()
    {
        await using var client = await ApiClient.ConnectAsync(Bridge.Url, Bridge.Token(), viaQuery: true);
        var reply = await client.RequestAsync(new { op = "ping" });
        JsonAssert.Ok(reply);
    }

    [Fact]
    public async Task Refuses_a_connection_without_a_valid_token_before_the_upgrade()
    {
        using var http = new HttpClient();
        var httpUrl = Bridge.Url.Replace("ws://", "http://");
        var none = await http.GetAsync(httpUrl);
        Assert.Equal(System.Net.HttpStatusCode.Unauthorized, none.StatusCode);

        var forged = Bridge.Token()[..^4] + "AAAA";
        var ex = await Assert.ThrowsAnyAsync<System.Net.WebSockets.WebSocketException>(() => ApiClient.ConnectAsync(Bridge.Url, forged));
        Assert.Contains("401", ex.Message);

        var expired = Bridge.App.MintToken("old", TokenScope.Control, TimeSpan.FromSeconds(-10));
        await Assert.ThrowsAnyAsync<System.Net.WebSockets.WebSocketException>(() => ApiClient.ConnectAsync(Bridge.Url, expired));
    }
}
