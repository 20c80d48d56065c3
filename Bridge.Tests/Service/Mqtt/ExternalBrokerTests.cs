using Bridge.Simulator.Home;
using System.Text.Json;
using Bridge.Simulator;
using Bridge.Tests.Infrastructure;
using MQTTnet;

namespace Bridge.Tests.Service.Mqtt;

/// <summary>The bridge and the simulated home on a real Mosquitto that this test run starts:
/// the setup a user has when pointing the bridge at an existing broker.</summary>
public sealed class ExternalBrokerTests : IAsyncLifetime
{
    private MosquittoFixture _broker = null!;
    private TestBridge _bridge = null!;
    private SimulatedHome _home = null!;
    private ApiClient _client = null!;

    public async Task InitializeAsync()
    {
        try
        {
            _broker = await MosquittoFixture.StartNewAsync();
            _bridge = await TestBridge.StartAsync(demo: false, extra: [$"--Mqtt:Url={_broker.Url}", "--Commands:ConfirmTimeout=00:00:02"]);
            _client = await _bridge.ConnectAsync();
            JsonAssert.Ok(await _client.RequestAsync(new { op = "subscribe" }));
            _home = SimulatedHome.Demo();
            await _home.StartAsync(_broker.Host, _broker.Port);
            foreach (var device in _home.Devices) await WaitOnline(device.Id);
        }
        catch
        {
            // A broker left running when the set-up fails would outlive the test run; disposing twice is harmless.
            await DisposeAsync();
            throw;
        }
    }

    public async Task DisposeAsync()
    {
        if (_client is not null) await _client.DisposeAsync();
        _client = null!;
        if (_home is not null) await _home.DisposeAsync();
        _home = null!;
        if (_bridge is not null) await _bridge.DisposeAsync();
        _bridge = null!;
        if (_broker is not null) await _broker.DisposeAsync();
        _broker = null!;
    }

    private async Task WaitOnline(string id)
    {
        await Wait.UntilAsync(() => IsOnline(id), TimeSpan.FromSeconds(15), $"{id} online through Mosquitto");
    }

    private bool IsOnline(string id) =>
        _bridge.App.Services.GetService(typeof(Bridge.Service.Devices.DeviceRegistry)) is Bridge.Service.Devices.DeviceRegistry r &&
        r.TryGet(id, out var d) && d.Online;

    [Fact]
    public async Task Finds_and_controls_tasmota_and_shelly_devices_with_no_configuration()
    {
        var devices = (await _client.RequestAsync(new { op = "devices" })).GetProperty("devices").EnumerateArray().ToList();
        Assert.Equal(5, devices.Count);
        Assert.Contains(devices, d => d.GetProperty("protocol").GetString() == "shelly");
        Assert.Contains(devices, d => d.GetProperty("protocol").GetString() == "tasmota");
        var reply = await _client.RequestAsync(new { op = "set", device = "ac-1", state = new { power = "on", mode = "cool", target_temperature = 24 } });
        JsonAssert.Ok(reply);
        Assert.Equal("cool", reply.GetProperty("state").GetProperty("mode").GetString());
        var plug = devices.Single(d => d.GetProperty("kind").GetString() == "plug").GetProperty("id").GetString()!;
        JsonAssert.Ok(await _client.RequestAsync(new { op = "set", device = plug, state = new { power = "on" } }));
        Assert.Equal("on", _home[plug].Snapshot()["power"]);
    }

    [Fact]
    public async Task A_device_dropping_off_is_seen_through_its_will_and_its_return_too()
    {
        await _home["lamp-1"].GoOfflineAsync();
        await _client.WaitOnlineEventAsync("lamp-1", online: false);
        JsonAssert.Error(await _client.RequestAsync(new { op = "set", device = "lamp-1", state = new { power = "on" } }), "device_offline");
        await _home["lamp-1"].ComeBackAsync();
        await _client.WaitOnlineEventAsync("lamp-1", online: true);
        JsonAssert.Ok(await _client.RequestAsync(new { op = "set", device = "lamp-1", state = new { power = "on" } }));

        var plug = _home.Devices.Single(d => d.Protocol == "shelly" && d.Snapshot().Count == 1).Id;
        await _home[plug].GoOfflineAsync();
        await _client.WaitOnlineEventAsync(plug, online: false);
        await _home[plug].ComeBackAsync();
        await _client.WaitOnlineEventAsync(plug, online: true);
    }

    [Fact]
    public async Task A_silent_device_times_out()
    {
        _home["water-heater-1"].Faults.IgnoreCommands = true;
        var started = DateTime.UtcNow;
        JsonAssert.Error(await _client.RequestAsync(new { op = "set", device = "water-heater-1", state = new { target_temperature = 40 } }), "timeout");
        Assert.InRange(DateTime.UtcNow - started, TimeSpan.FromSeconds(1.5), TimeSpan.FromSeconds(5));
    }

    [Fact]
    public async Task A_button_press_on_the_device_becomes_a_state_event()
    {
        var before = (string)_home["lamp-1"].Snapshot()["power"];
        await _home["lamp-1"].PressButtonAsync();
        var expected = before == "on" ? "off" : "on";
        await _client.WaitStateEventAsync("lamp-1", s => s.GetProperty("power").GetString() == expected);
    }

    [Fact]
    public async Task Survives_a_broker_restart_failing_commands_cleanly_meanwhile()
    {
        await _broker.StopAsync();
        await _client.WaitOnlineEventAsync("lamp-1", online: false);
        var during = await _client.RequestAsync(new { op = "set", device = "lamp-1", state = new { power = "on" } });
        JsonAssert.Error(during, "device_offline");

        await _broker.StartAsync();
        foreach (var device in _home.Devices) await WaitOnline(device.Id);
        var after = await _client.RequestAsync(new { op = "set", device = "lamp-1", state = new { brightness = 55 } });
        JsonAssert.Ok(after);
        // The command refused during the outage was not replayed later.
        Assert.Equal(55, after.GetProperty("state").GetProperty("brightness").GetInt32());
    }

    [Fact]
    public async Task Commands_are_never_left_retained_on_the_broker()
    {
        JsonAssert.Ok(await _client.RequestAsync(new { op = "set", device = "lamp-1", state = new { power = "on" } }));
        var plug = _home.Devices.Single(d => d.Protocol == "shelly" && d.Snapshot().Count == 1).Id;
        JsonAssert.Ok(await _client.RequestAsync(new { op = "set", device = plug, state = new { power = "off" } }));

        using var observer = new MqttClientFactory().CreateMqttClient();
        var retained = new List<string>();
        observer.ApplicationMessageReceivedAsync += e =>
        {
            if (e.ApplicationMessage.Retain) lock (retained) retained.Add(e.ApplicationMessage.Topic);
            return Task.CompletedTask;
        };
        await observer.ConnectAsync(new MqttClientOptionsBuilder().WithTcpServer(_broker.Host, _broker.Port).Build());
        await observer.SubscribeAsync(new MqttClientSubscribeOptionsBuilder().WithTopicFilter("cmnd/#").WithTopicFilter($"{plug}/rpc").WithTopicFilter("tele/lamp-1/LWT").Build());
        // The device's own retained LWT arrives; a retained command would have arrived with it.
        await Wait.UntilAsync(() => { lock (retained) return retained.Contains("tele/lamp-1/LWT"); }, TimeSpan.FromSeconds(5), "retained LWT");
        lock (retained) Assert.Equal(["tele/lamp-1/LWT"], retained);
    }
}
