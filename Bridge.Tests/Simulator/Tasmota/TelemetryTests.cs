using Bridge.Simulator.Home;
using Bridge.Simulator;
using Microsoft.Extensions.Time.Testing;

namespace Bridge.Tests.Simulator.Tasmota;

/// <summary>Telemetry every TelePeriod, driven by the injected TimeProvider, and the simulated physics.</summary>
public sealed class TelemetryTests : IAsyncLifetime
{
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2025, 3, 1, 12, 0, 0, TimeSpan.Zero));
    private SimBroker _broker = null!;
    private SimulatedHome _home = null!;
    private MqttObserver _watch = null!;

    public async Task InitializeAsync()
    {
        _broker = await SimBroker.StartAsync();
        _home = SimulatedHome.Demo(_time);
        await _home.StartAsync(SimBroker.Host, _broker.Port);
        _watch = await _broker.ObserveAsync("tele/#", "stat/#");
    }

    public async Task DisposeAsync()
    {
        await _watch.DisposeAsync();
        await _home.DisposeAsync();
        await _broker.DisposeAsync();
    }

    [Fact]
    public async Task STATE_and_SENSOR_come_every_TelePeriod()
    {
        var mark = _watch.Mark();
        _time.Advance(TimeSpan.FromSeconds(300));
        var state = (await _watch.WaitForAsync("tele/lamp-1/STATE", mark)).Json();
        Assert.Equal("OFF", state.GetProperty("POWER").GetString());
        var at = DateTime.Parse(state.GetProperty("Time").GetString()!, System.Globalization.CultureInfo.InvariantCulture);
        Assert.InRange(at, new DateTime(2025, 3, 1, 12, 0, 1), new DateTime(2025, 3, 1, 12, 5, 0));
        Assert.InRange(state.GetProperty("UptimeSec").GetInt32(), 1, 300);
        var sensor = (await _watch.WaitForAsync("tele/ac-1/SENSOR", mark)).Json();
        Assert.Equal("C", sensor.GetProperty("TempUnit").GetString());
        Assert.True(sensor.GetProperty("SI7021").TryGetProperty("Humidity", out _));
        Assert.DoesNotContain(_watch.Since(mark), m => m.Topic == "tele/lamp-1/SENSOR");
    }

    [Fact]
    public async Task The_room_cools_toward_the_set_point_while_the_air_conditioner_runs()
    {
        var mark = _watch.Mark();
        await _watch.PublishAsync("cmnd/ac-1/IRHVAC", """{"Vendor":"MITSUBISHI_AC","Power":"On","Mode":"Cool","Temp":24}""");
        await _watch.WaitForAsync("stat/ac-1/RESULT", mark);
        Assert.Equal(27.5, _home["ac-1"].Snapshot()["current_temperature"]);

        mark = _watch.Mark();
        _time.Advance(TimeSpan.FromSeconds(300));
        _time.Advance(TimeSpan.FromSeconds(300));
        var second = await _watch.WaitForNthAsync(m => m.Topic == "tele/ac-1/SENSOR", 2, mark);
        Assert.InRange(second.Json().GetProperty("SI7021").GetProperty("Temperature").GetDouble(), 24, 26.5);

        for (var i = 0; i < 12; i++) _time.Advance(TimeSpan.FromSeconds(300));
        Assert.Equal(24.0, _home["ac-1"].Snapshot()["current_temperature"]);
    }

    [Fact]
    public async Task TelePeriod_command_changes_the_period_and_reports_at_once()
    {
        var mark = _watch.Mark();
        await _watch.PublishAsync("cmnd/water-heater-1/TelePeriod", "10");
        Assert.Equal("{\"TelePeriod\":10}", (await _watch.WaitForAsync("stat/water-heater-1/RESULT", mark)).Text);
        await _watch.WaitForAsync("tele/water-heater-1/SENSOR", mark);

        mark = _watch.Mark();
        _time.Advance(TimeSpan.FromSeconds(10));
        await _watch.WaitForAsync("tele/water-heater-1/SENSOR", mark);
        Assert.Equal(10, ((Bridge.Simulator.Tasmota.TasmotaDevice)_home["water-heater-1"]).TelePeriod);
    }

    [Fact]
    public async Task The_water_heater_heats_to_its_target_and_stops()
    {
        // 48 °C at start, 0.5 °C/min while heating: at the target within two periods, then off and cooling slowly.
        _time.Advance(TimeSpan.FromSeconds(300));
        _time.Advance(TimeSpan.FromSeconds(300));
        Assert.InRange((double)_home["water-heater-1"].Snapshot()["current_temperature"], 49.8, 50);
        var mark = _watch.Mark();
        await _watch.PublishAsync("cmnd/water-heater-1/STATE", "");
        var state = (await _watch.WaitForAsync("stat/water-heater-1/RESULT", mark)).Json();
        Assert.Equal("OFF", state.GetProperty("POWER").GetString());

        // Off, it cools toward the room; the thermostat switches on again one degree below the target.
        for (var i = 0; i < 12; i++) _time.Advance(TimeSpan.FromSeconds(300));
        Assert.InRange((double)_home["water-heater-1"].Snapshot()["current_temperature"], 48.9, 50);
    }
}
