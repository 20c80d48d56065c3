using System.Text;
using System.Text.Json;

namespace Bridge.Simulator.Tasmota;

/// <summary>An air conditioner driven by a Tasmota IR bridge (<c>md</c> "IR HVAC Bridge", no relays) with an
/// SI7021 room sensor. <c>IRHVAC</c> commands answer with Tasmota's IRHVAC report; the room temperature
/// moves toward the set point while the unit runs, toward the ambient temperature otherwise.</summary>
public sealed class TasmotaIrHvac : TasmotaDevice
{
    /// <summary>°C per minute the unit moves the room toward its set point.</summary>
    public const double ConditioningRate = 0.2;
    /// <summary>°C per minute the room drifts toward the ambient temperature when the unit is off.</summary>
    public const double DriftRate = 0.05;

    private string _vendor = "MITSUBISHI_AC";
    private bool _power;
    private string _mode = "Cool";
    private string _fan = "Auto";
    private double _temp = 26;
    private double _room = 27.5;
    private double _humidity = 50;

    public TasmotaIrHvac(string topic, string name, string mac, string? module = null, TimeProvider? time = null)
        : base(topic, "ir_hvac", name, mac, module ?? "IR HVAC Bridge", time)
    {
    }

    /// <summary>Where the room drifts to while the unit is off.</summary>
    public double AmbientTemperature { get; set; } = 28;

    /// <param name="mode">Auto, Cool, Heat, Dry or Fan (any case).</param>
    /// <param name="fanSpeed">Auto, Low, Medium, High (any case).</param>
    public void SetState(bool? power = null, string? mode = null, string? fanSpeed = null, double? target = null, double? room = null, string? vendor = null)
    {
        lock (Gate)
        {
            if (power is { } p) _power = p;
            if (mode is not null) _mode = Canonical(mode, IrHvacCommand.Modes) ?? throw new ArgumentException($"unknown mode '{mode}'", nameof(mode));
            if (fanSpeed is not null) _fan = Canonical(fanSpeed, IrHvacCommand.FanSpeeds) ?? throw new ArgumentException($"unknown fan speed '{fanSpeed}'", nameof(fanSpeed));
            if (target is { } t) _temp = t;
            if (room is { } r) _room = r;
            if (vendor is not null) _vendor = vendor;
        }
    }

    public override IReadOnlyDictionary<string, object> Snapshot()
    {
        lock (Gate)
            return new Dictionary<string, object>
            {
                ["power"] = _power ? "on" : "off",
                ["mode"] = _mode.ToLowerInvariant(),
                ["fan_speed"] = _fan.ToLowerInvariant(),
                ["target_temperature"] = _temp,
                ["current_temperature"] = Math.Round(_room, 1),
            };
    }

    private protected override int[] Relays => [];
    private protected override bool HasSensors => true;

    private protected override bool Execute(ReadOnlySpan<char> command, ReadOnlySpan<byte> arg, Utf8JsonWriter result, ref PowerReport power)
    {
        if (!TasmotaArgs.Is(command, "IRHVAC")) return false;
        result.WriteStartObject();
        if (!arg.IsEmpty)
        {
            if (!IrHvacCommand.TryRead(arg, out var cmd, out var error))
            {
                result.WriteString("IRHVAC", error);
                result.WriteEndObject();
                return true;
            }
            Apply(in cmd);
        }
        WriteIrHvac(result);
        result.WriteEndObject();
        return true;
    }

    private void Apply(in IrHvacCommand cmd)
    {
        if (!Ascii.EqualsIgnoreCase(cmd.Vendor, _vendor.AsSpan())) _vendor = Encoding.UTF8.GetString(cmd.Vendor);
        if (cmd.Power is { } p) _power = p;
        if (cmd.Mode is { } m)
        {
            if (m == "Off") _power = false;
            else _mode = m;
        }
        if (cmd.FanSpeed is { } f) _fan = f;
        if (cmd.Temp is { } t) _temp = t;
    }

    /// <summary>The remote control was used: the IR receiver reports what it decoded (<c>IrReceived</c> on tele/RESULT).</summary>
    private protected override string Press(Utf8JsonWriter report, ref PowerReport power)
    {
        _power = !_power;
        report.WriteStartObject();
        report.WriteStartObject("IrReceived");
        report.WriteString("Protocol", _vendor);
        report.WriteNumber("Bits", 144);
        report.WriteString("Data", _power ? "0x23CB26010020480B0C36000000000000000058" : "0x23CB26010000480B0C36000000000000000038");
        report.WriteNumber("Repeat", 0);
        WriteIrHvac(report);
        report.WriteEndObject();
        report.WriteEndObject();
        return TeleResultTopic;
    }

    private void WriteIrHvac(Utf8JsonWriter w)
    {
        w.WriteStartObject("IRHVAC");
        w.WriteString("Vendor", _vendor);
        w.WriteNumber("Model", -1);
        w.WriteString("Power", _power ? "On" : "Off");
        w.WriteString("Mode", _mode);
        w.WriteString("Celsius", "On");
        w.WriteNumber("Temp", _temp);
        w.WriteString("FanSpeed", _fan);
        w.WriteString("SwingV", "Off");
        w.WriteString("SwingH", "Off");
        w.WriteString("Quiet", "Off");
        w.WriteString("Turbo", "Off");
        w.WriteString("Econo", "Off");
        w.WriteString("Light", "Off");
        w.WriteString("Filter", "Off");
        w.WriteString("Clean", "Off");
        w.WriteString("Beep", "Off");
        w.WriteNumber("Sleep", -1);
        w.WriteEndObject();
    }

    private protected override void WriteSensorFields(Utf8JsonWriter w)
    {
        w.WriteStartObject("SI7021");
        TasmotaJson.WriteFixed1(w, "Temperature", _room);
        TasmotaJson.WriteFixed1(w, "Humidity", _humidity);
        TasmotaJson.WriteFixed1(w, "DewPoint", DewPoint(_room, _humidity));
        w.WriteEndObject();
    }

    private protected override void Advance(TimeSpan elapsed)
    {
        var minutes = elapsed.TotalMinutes;
        if (minutes <= 0) return;
        if (!_power)
        {
            _room = Toward(_room, AmbientTemperature, DriftRate * minutes);
            return;
        }
        var cools = _mode is "Cool" or "Dry" or "Auto";
        var heats = _mode is "Heat" or "Auto";
        if ((cools && _room > _temp) || (heats && _room < _temp))
            _room = Toward(_room, _temp, ConditioningRate * minutes);
        if (_mode == "Dry") _humidity = Toward(_humidity, 40, 0.5 * minutes);
    }

    private static double Toward(double from, double to, double step) =>
        from < to ? Math.Min(to, from + step) : Math.Max(to, from - step);

    private static double DewPoint(double t, double rh)
    {
        const double a = 17.62, b = 243.12;
        var g = Math.Log(Math.Max(rh, 1) / 100) + a * t / (b + t);
        return b * g / (a - g);
    }

    private static string? Canonical(string value, string[] choices)
    {
        foreach (var c in choices)
            if (string.Equals(c, value, StringComparison.OrdinalIgnoreCase) && c != "Off") return c;
        return null;
    }
}
