using System.Text.Json;

namespace Bridge.Simulator.Tasmota;

/// <summary>A water heater on a Tasmota relay under Tasmota's thermostat driver: <c>ThermostatModeSet1</c>
/// (0 off, 1 automatic, 2 manual), <c>TempTargetSet1</c>, a DS18B20 in the tank. The thermostat drives the
/// relay; the water warms while the relay is on and cools toward the room otherwise.</summary>
public sealed class TasmotaWaterHeater : TasmotaDevice
{
    /// <summary>°C per minute while heating.</summary>
    public const double HeatingRate = 0.5;
    /// <summary>°C per minute lost toward the room.</summary>
    public const double CoolingRate = 0.02;
    public const double Hysteresis = 1.0;

    private int _mode = 1;
    private double _target = 50;
    private double _water = 48;
    private bool _relay;

    /// <summary>Where the water cools to when not heated.</summary>
    public double RoomTemperature { get; set; } = 20;

    public TasmotaWaterHeater(string topic, string name, string mac, string? module = null, TimeProvider? time = null)
        : base(topic, "water_heater", name, mac, module ?? "Water Heater", time)
    {
        _relay = _water < _target;
    }

    public void SetState(bool? on = null, double? target = null, double? water = null)
    {
        lock (Gate)
        {
            if (on is { } o) _mode = o ? 1 : 0;
            if (target is { } t) _target = t;
            if (water is { } w) _water = w;
            Regulate();
        }
    }

    public override IReadOnlyDictionary<string, object> Snapshot()
    {
        lock (Gate)
            return new Dictionary<string, object>
            {
                ["power"] = _mode != 0 ? "on" : "off",
                ["target_temperature"] = _target,
                ["current_temperature"] = Math.Round(_water, 1),
            };
    }

    private protected override int[] Relays => [1];
    private protected override bool HasSensors => true;
    private protected override int PowerBits() => _relay ? 1 : 0;

    private protected override bool Execute(ReadOnlySpan<char> command, ReadOnlySpan<byte> arg, Utf8JsonWriter result, ref PowerReport power)
    {
        if (TasmotaArgs.Is(command, "ThermostatModeSet1") || TasmotaArgs.Is(command, "ThermostatModeSet"))
        {
            if (TasmotaArgs.TryInt(arg, out var mode) && mode is >= 0 and <= 2)
            {
                _mode = mode;
                Regulate();
            }
            result.WriteStartObject();
            result.WriteNumber("ThermostatModeSet1", _mode);
            result.WriteEndObject();
            return true;
        }
        if (TasmotaArgs.Is(command, "TempTargetSet1") || TasmotaArgs.Is(command, "TempTargetSet"))
        {
            if (TasmotaArgs.TryNumber(arg, out var t) && t is >= -100 and <= 200)
            {
                _target = t;
                Regulate();
            }
            result.WriteStartObject();
            TasmotaJson.WriteFixed1(result, "TempTargetSet1", _target);
            result.WriteEndObject();
            return true;
        }
        if (TasmotaArgs.Is(command, "POWER") || TasmotaArgs.Is(command, "POWER1"))
        {
            if (TasmotaArgs.TryPower(arg, _relay, out var on))
            {
                _relay = on;
                power = on ? PowerReport.On : PowerReport.Off;
            }
            result.WriteStartObject();
            result.WriteString("POWER", _relay ? "ON" : "OFF");
            result.WriteEndObject();
            return true;
        }
        return false;
    }

    /// <summary>The button switches the thermostat between off and automatic.</summary>
    private protected override string Press(Utf8JsonWriter report, ref PowerReport power)
    {
        _mode = _mode == 0 ? 1 : 0;
        Regulate();
        report.WriteStartObject();
        report.WriteNumber("ThermostatModeSet1", _mode);
        report.WriteEndObject();
        return ResultTopic;
    }

    private protected override void WriteStateFields(Utf8JsonWriter w) => w.WriteString("POWER", _relay ? "ON" : "OFF");

    private protected override void WriteSensorFields(Utf8JsonWriter w)
    {
        w.WriteStartObject("DS18B20");
        TasmotaJson.WriteFixed1(w, "Temperature", _water);
        w.WriteEndObject();
    }

    private protected override void Advance(TimeSpan elapsed)
    {
        var minutes = elapsed.TotalMinutes;
        if (minutes <= 0) return;
        if (_relay) _water = Math.Min(_target, _water + HeatingRate * minutes);
        else if (_water > RoomTemperature) _water = Math.Max(RoomTemperature, _water - CoolingRate * minutes);
        Regulate();
    }

    private void Regulate()
    {
        if (_mode == 0) _relay = false;
        else if (_water >= _target) _relay = false;
        else if (_water <= _target - Hysteresis) _relay = true;
    }
}
