using Bridge.Simulator.Home;
using Bridge.Simulator;
using Microsoft.Extensions.Time.Testing;
using MQTTnet.Server;

namespace Bridge.Tests.Simulator;

/// <summary>Faults injected at run time: going offline (the broker publishes the will), coming back,
/// ignoring commands, slow replies, garbage payloads, button presses.</summary>
public sealed class FaultInjectionTests : IAsyncLifetime
{
    private const string Plug = "shellyplusplugs-e86beae8b1c0";
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2025, 3, 1, 12, 0, 0, TimeSpan.Zero));
    private SimBroker _broker = null!;
    private SimulatedHome _home = null!;
    private MqttObserver _watch = null!;

    public async Task InitializeAsync()
    {
        _broker = await SimBroker.StartAsync();
        _home = SimulatedHome.Demo(_time);
        await _home.StartAsync(SimBroker.Host, _broker.Port);
        _watch = await _broker.ObserveAsync("#");
    }

    public async Task DisposeAsync()
    {
        await _watch.DisposeAsync();
        await _home.DisposeAsync();
        await _broker.DisposeAsync();
    }

    [Fact]
    public async Task Going_offline_is_abrupt_so_the_broker_publishes_the_Tasmota_will()
    {
        var lamp = _home["lamp-1"];
        var dropped = new TaskCompletionSource<ClientDisconnectedEventArgs>(TaskCreationOptions.RunContinuationsAsynchronously);
        _broker.Disconnected += e =>
        {
            if (e.ClientId == "lamp-1") dropped.TrySetResult(e);
        };
        var mark = _watch.Mark();
        await lamp.GoOfflineAsync();
        Assert.False(lamp.IsConnected);
        var will = await _watch.WaitForAsync(m => m.Topic == "tele/lamp-1/LWT" && !m.Retain, mark);
        Assert.Equal("Offline", will.Text);
        var how = await dropped.Task.WaitAsync(MqttObserver.DefaultTimeout);
        Assert.Equal(MqttClientDisconnectType.NotClean, how.DisconnectType);

        await using var late = await _broker.ObserveAsync("tele/lamp-1/LWT");
        var retained = await late.WaitForAsync("tele/lamp-1/LWT");
        Assert.True(retained.Retain);
        Assert.Equal("Offline", retained.Text);
    }

    [Fact]
    public async Task Coming_back_announces_again()
    {
        var lamp = _home["lamp-1"];
        await lamp.GoOfflineAsync();
        await _watch.WaitForAsync(m => m.Topic == "tele/lamp-1/LWT" && m.Text == "Offline");
        var mark = _watch.Mark();
        await lamp.ComeBackAsync();
        Assert.True(lamp.IsConnected);
        await _watch.WaitForAsync(m => m.Topic == "tele/lamp-1/LWT" && m.Text == "Online", mark);
        await _watch.WaitForAsync(m => m.Topic.StartsWith("tasmota/discovery/") && m.Text.Contains("\"t\":\"lamp-1\""), mark);
        await _watch.WaitForAsync("tele/lamp-1/STATE", mark);

        // and it takes commands again
        mark = _watch.Mark();
        await _watch.PublishAsync("cmnd/lamp-1/POWER", "ON");
        Assert.Equal("ON", (await _watch.WaitForAsync("stat/lamp-1/POWER", mark)).Text);
    }

    [Fact]
    public async Task A_Shelly_going_offline_leaves_online_false_and_comes_back_true()
    {
        var plug = _home[Plug];
        var mark = _watch.Mark();
        await plug.GoOfflineAsync();
        await _watch.WaitForAsync(m => m.Topic == $"{Plug}/online" && m.Text == "false", mark);
        mark = _watch.Mark();
        await plug.ComeBackAsync();
        await _watch.WaitForAsync(m => m.Topic == $"{Plug}/online" && m.Text == "true" && !m.Retain, mark);
    }

    [Fact]
    public async Task Ignored_commands_arrive_but_get_no_answer_and_change_nothing()
    {
        var lamp = _home["lamp-1"];
        lamp.Faults.IgnoreCommands = true;
        var arrived = DeviceEvents.NextCommand(lamp, "POWER");
        var mark = _watch.Mark();
        await _watch.PublishAsync("cmnd/lamp-1/POWER", "ON");
        await arrived;
        Assert.Equal("off", lamp.Snapshot()["power"]);

        // The device answers in order, so once a later command is answered, an answer to the first would have come.
        lamp.Faults.IgnoreCommands = false;
        await _watch.PublishAsync("cmnd/lamp-1/Dimmer", "");
        await _watch.WaitForAsync("stat/lamp-1/RESULT", mark);
        Assert.DoesNotContain(_watch.Since(mark), m => m.Topic == "stat/lamp-1/POWER" || m.Text == "{\"POWER\":\"ON\"}");
        Assert.Equal("off", lamp.Snapshot()["power"]);
    }

    [Fact]
    public async Task Reply_delay_waits_on_the_time_provider()
    {
        var heater = _home["water-heater-1"];
        heater.Faults.ReplyDelay = TimeSpan.FromSeconds(3);
        var arrived = DeviceEvents.NextCommand(heater, "TempTargetSet1");
        var mark = _watch.Mark();
        await _watch.PublishAsync("cmnd/water-heater-1/TempTargetSet1", "60");
        await arrived;

        heater.Faults.ReplyDelay = TimeSpan.Zero;
        await _watch.PublishAsync("cmnd/water-heater-1/ThermostatModeSet1", "");
        await _watch.WaitForAsync(m => m.Topic == "stat/water-heater-1/RESULT" && m.Text.Contains("ThermostatModeSet1"), mark);
        Assert.DoesNotContain(_watch.Since(mark), m => m.Text.Contains("TempTargetSet1"));
        Assert.Equal(50.0, heater.Snapshot()["target_temperature"]);

        _time.Advance(TimeSpan.FromSeconds(3));
        var reply = await _watch.WaitForAsync(m => m.Topic == "stat/water-heater-1/RESULT" && m.Text.Contains("TempTargetSet1"), mark);
        Assert.Equal("{\"TempTargetSet1\":60.0}", reply.Text);
        Assert.Equal(60.0, heater.Snapshot()["target_temperature"]);
    }

    [Fact]
    public async Task Shelly_reply_delay_and_ignore_apply_to_RPC()
    {
        var plug = _home[Plug];
        plug.Faults.ReplyDelay = TimeSpan.FromSeconds(1);
        var arrived = DeviceEvents.NextCommand(plug, "Switch.Set");
        var mark = _watch.Mark();
        await _watch.PublishAsync($"{Plug}/rpc", """{"id":7,"src":"tester","method":"Switch.Set","params":{"id":0,"on":true}}""");
        await arrived;
        Assert.Equal("off", plug.Snapshot()["power"]);
        _time.Advance(TimeSpan.FromSeconds(1));
        await _watch.WaitForAsync("tester/rpc", mark);
        await _watch.WaitForAsync($"{Plug}/events/rpc", mark);
        Assert.Equal("on", plug.Snapshot()["power"]);
    }

    [Fact]
    public async Task Malformed_payloads_arrive_on_the_answer_topics()
    {
        var mark = _watch.Mark();
        await _home["lamp-1"].SendMalformedAsync();
        await _home[Plug].SendMalformedAsync();
        var tasmota = await _watch.WaitForAsync("stat/lamp-1/RESULT", mark);
        var shelly = await _watch.WaitForAsync($"{Plug}/events/rpc", mark);
        Assert.False(tasmota.IsJson());
        Assert.False(shelly.IsJson());
    }

    [Fact]
    public async Task A_Tasmota_button_press_reports_RESULT_and_POWER()
    {
        var mark = _watch.Mark();
        await _home["lamp-1"].PressButtonAsync();
        Assert.Equal("{\"POWER\":\"ON\"}", (await _watch.WaitForAsync("stat/lamp-1/RESULT", mark)).Text);
        Assert.Equal("ON", (await _watch.WaitForAsync("stat/lamp-1/POWER", mark)).Text);
        Assert.Equal("on", _home["lamp-1"].Snapshot()["power"]);
    }

    [Fact]
    public async Task A_Shelly_button_press_notifies_with_source_button()
    {
        var mark = _watch.Mark();
        await _home[Plug].PressButtonAsync();
        var sw = (await _watch.WaitForAsync($"{Plug}/events/rpc", mark)).Json().GetProperty("params").GetProperty("switch:0");
        Assert.True(sw.GetProperty("output").GetBoolean());
        Assert.Equal("button", sw.GetProperty("source").GetString());
    }

    [Fact]
    public async Task The_remote_control_of_the_air_conditioner_is_reported_as_IrReceived()
    {
        var mark = _watch.Mark();
        await _home["ac-1"].PressButtonAsync();
        var ir = (await _watch.WaitForAsync("tele/ac-1/RESULT", mark)).Json().GetProperty("IrReceived");
        Assert.Equal("On", ir.GetProperty("IRHVAC").GetProperty("Power").GetString());
        Assert.Equal("on", _home["ac-1"].Snapshot()["power"]);
    }
}
