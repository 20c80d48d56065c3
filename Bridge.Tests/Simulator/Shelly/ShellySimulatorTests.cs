using Bridge.Simulator.Home;
using System.Text.Json;
using Bridge.Simulator;

namespace Bridge.Tests.Simulator.Shelly;

/// <summary>The simulated Shelly Gen2+ devices, watched from outside through a real broker.</summary>
public sealed class ShellySimulatorTests : IAsyncLifetime
{
    private const string Plug = "shellyplusplugs-e86beae8b1c0";
    private const string Dimmer = "shellydimmerg3-84fce63ad204";
    private SimBroker _broker = null!;
    private SimulatedHome _home = null!;
    private MqttObserver _watch = null!;
    private int _nextId = 1;

    public async Task InitializeAsync()
    {
        _broker = await SimBroker.StartAsync();
        _home = SimulatedHome.Demo();
        await _home.StartAsync(SimBroker.Host, _broker.Port);
        _watch = await _broker.ObserveAsync("tester/rpc", "+/events/rpc");
    }

    public async Task DisposeAsync()
    {
        await _watch.DisposeAsync();
        await _home.DisposeAsync();
        await _broker.DisposeAsync();
    }

    private async Task<JsonElement> CallAsync(string device, string method, string paramsJson = "{}")
    {
        var id = _nextId++;
        var mark = _watch.Mark();
        await _watch.PublishAsync($"{device}/rpc", $$"""{"id":{{id}},"src":"tester","method":"{{method}}","params":{{paramsJson}}}""");
        var reply = await _watch.WaitForAsync(m => m.Topic == "tester/rpc" && m.Json().GetProperty("id").GetInt32() == id, mark);
        var json = reply.Json();
        Assert.Equal(device, json.GetProperty("src").GetString());
        Assert.Equal("tester", json.GetProperty("dst").GetString());
        return json;
    }

    [Theory]
    [InlineData(Plug)]
    [InlineData(Dimmer)]
    public async Task Announces_online_true_retained(string device)
    {
        await using var late = await _broker.ObserveAsync("+/online");
        var online = await late.WaitForAsync($"{device}/online");
        Assert.True(online.Retain);
        Assert.Equal("true", online.Text);
    }

    [Fact]
    public async Task GetDeviceInfo_describes_the_plug()
    {
        var r = (await CallAsync(Plug, "Shelly.GetDeviceInfo")).GetProperty("result");
        Assert.Equal("Kettle plug", r.GetProperty("name").GetString());
        Assert.Equal(Plug, r.GetProperty("id").GetString());
        Assert.Equal("E86BEAE8B1C0", r.GetProperty("mac").GetString());
        Assert.Equal("SNPL-00112EU", r.GetProperty("model").GetString());
        Assert.Equal(2, r.GetProperty("gen").GetInt32());
        Assert.Equal("PlusPlugS", r.GetProperty("app").GetString());
        Assert.False(r.GetProperty("auth_en").GetBoolean());
    }

    [Fact]
    public async Task GetStatus_has_the_one_component_the_profile_matches()
    {
        var plug = (await CallAsync(Plug, "Shelly.GetStatus")).GetProperty("result");
        var sw = plug.GetProperty("switch:0");
        Assert.False(sw.GetProperty("output").GetBoolean());
        Assert.Equal("init", sw.GetProperty("source").GetString());
        Assert.Equal(230.1, sw.GetProperty("voltage").GetDouble());
        Assert.True(sw.GetProperty("aenergy").TryGetProperty("total", out _));
        Assert.True(plug.TryGetProperty("sys", out _));
        Assert.False(plug.TryGetProperty("light:0", out _));

        var dimmer = (await CallAsync(Dimmer, "Shelly.GetStatus")).GetProperty("result");
        Assert.Equal(60, dimmer.GetProperty("light:0").GetProperty("brightness").GetInt32());
        Assert.False(dimmer.TryGetProperty("switch:0", out _));
    }

    [Fact]
    public async Task Switch_Set_answers_was_on_and_notifies_the_change()
    {
        var mark = _watch.Mark();
        var r = await CallAsync(Plug, "Switch.Set", """{"id":0,"on":true}""");
        Assert.False(r.GetProperty("result").GetProperty("was_on").GetBoolean());
        var note = (await _watch.WaitForAsync($"{Plug}/events/rpc", mark)).Json();
        Assert.Equal("NotifyStatus", note.GetProperty("method").GetString());
        Assert.Equal(Plug, note.GetProperty("src").GetString());
        Assert.Equal($"{Plug}/events", note.GetProperty("dst").GetString());
        var p = note.GetProperty("params");
        Assert.True(p.GetProperty("ts").GetDouble() > 0);
        var sw = p.GetProperty("switch:0");
        Assert.Equal(0, sw.GetProperty("id").GetInt32());
        Assert.True(sw.GetProperty("output").GetBoolean());
        Assert.Equal("MQTT", sw.GetProperty("source").GetString());
        Assert.Equal("on", _home[Plug].Snapshot()["power"]);

        var toggled = await CallAsync(Plug, "Switch.Toggle", """{"id":0}""");
        Assert.True(toggled.GetProperty("result").GetProperty("was_on").GetBoolean());
        var status = (await CallAsync(Plug, "Switch.GetStatus", """{"id":0}""")).GetProperty("result");
        Assert.False(status.GetProperty("output").GetBoolean());
    }

    [Fact]
    public async Task Light_Set_brightness_alone_keeps_output_and_notifies_only_brightness()
    {
        var mark = _watch.Mark();
        var r = await CallAsync(Dimmer, "Light.Set", """{"id":0,"brightness":75}""");
        Assert.Equal(JsonValueKind.Object, r.GetProperty("result").ValueKind);
        var light = (await _watch.WaitForAsync($"{Dimmer}/events/rpc", mark)).Json().GetProperty("params").GetProperty("light:0");
        Assert.Equal(75, light.GetProperty("brightness").GetInt32());
        Assert.False(light.TryGetProperty("output", out _));
        Assert.Equal("off", _home[Dimmer].Snapshot()["power"]);
        Assert.Equal(75, _home[Dimmer].Snapshot()["brightness"]);

        mark = _watch.Mark();
        await CallAsync(Dimmer, "Light.Set", """{"id":0,"on":true}""");
        light = (await _watch.WaitForAsync($"{Dimmer}/events/rpc", mark)).Json().GetProperty("params").GetProperty("light:0");
        Assert.True(light.GetProperty("output").GetBoolean());
        var status = (await CallAsync(Dimmer, "Light.GetStatus", """{"id":0}""")).GetProperty("result");
        Assert.True(status.GetProperty("output").GetBoolean());
        Assert.Equal(75, status.GetProperty("brightness").GetInt32());
    }

    [Theory]
    [InlineData(Plug, "Switch.Set", """{"id":0}""", -103)]
    [InlineData(Plug, "Switch.Set", """{"id":0,"on":"yes"}""", -103)]
    [InlineData(Plug, "Switch.Set", """{"id":3,"on":true}""", -105)]
    [InlineData(Dimmer, "Light.Set", """{"id":0}""", -103)]
    [InlineData(Dimmer, "Light.Set", """{"id":0,"brightness":140}""", -103)]
    [InlineData(Dimmer, "Switch.Set", """{"id":0,"on":true}""", 404)]
    [InlineData(Plug, "Nope.Nothing", "{}", 404)]
    public async Task Bad_requests_get_errors_and_change_nothing(string device, string method, string args, int code)
    {
        var before = _home[device].Snapshot();
        var r = await CallAsync(device, method, args);
        Assert.False(r.TryGetProperty("result", out _));
        var error = r.GetProperty("error");
        Assert.Equal(code, error.GetProperty("code").GetInt32());
        Assert.False(string.IsNullOrEmpty(error.GetProperty("message").GetString()));
        Assert.Equal(before, _home[device].Snapshot());
    }

    [Fact]
    public async Task A_string_id_is_echoed_as_given()
    {
        var mark = _watch.Mark();
        await _watch.PublishAsync($"{Plug}/rpc", """{"jsonrpc":"2.0","id":"abc","src":"tester","method":"Switch.GetStatus","params":{"id":0}}""");
        var reply = (await _watch.WaitForAsync("tester/rpc", mark)).Json();
        Assert.Equal("abc", reply.GetProperty("id").GetString());
    }
}
