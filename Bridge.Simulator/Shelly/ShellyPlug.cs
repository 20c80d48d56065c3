using System.Text.Json;

namespace Bridge.Simulator.Shelly;

/// <summary>A Shelly Plus Plug S (app PlusPlugS, component <c>switch:0</c> with power metering):
/// Switch.Set, Switch.Toggle, Switch.GetStatus, Switch.GetConfig.</summary>
public sealed class ShellyPlug : ShellyDevice
{
    private const string SwitchComponent = "switch:0";
    private bool _output;
    private string _source = "init";
    private double _energyWh;
    private DateTimeOffset _energySince;

    public ShellyPlug(string deviceId, string name, TimeProvider? time = null)
        : base(deviceId, "plug", name, "SNPL-00112EU", "PlusPlugS", 2, time)
    {
        _energySince = Time.GetUtcNow();
    }

    /// <summary>What the plugged-in appliance draws while on, in watts.</summary>
    public double LoadWatts { get; set; } = 2000;

    public double Voltage { get; set; } = 230.1;

    public void SetState(bool? power = null)
    {
        lock (Gate)
        {
            Meter();
            if (power is { } p) _output = p;
        }
    }

    public override IReadOnlyDictionary<string, object> Snapshot()
    {
        lock (Gate) return new Dictionary<string, object> { ["power"] = _output ? "on" : "off" };
    }

    private protected override string Component => SwitchComponent;

    private protected override bool TryInvoke(string method, JsonElement p, Utf8JsonWriter result, ref ComponentChange change, out RpcError? error)
    {
        error = null;
        if (method.Equals("Switch.Set", StringComparison.OrdinalIgnoreCase))
        {
            bool? on = null;
            error = RpcParams.Id(p) ?? RpcParams.Bool(p, "on", required: true, out on) ?? RpcParams.Number(p, "toggle_after", 0, 86400 * 7, out _);
            if (error is null) SetOutput(on!.Value, result, ref change);
            return true;
        }
        if (method.Equals("Switch.Toggle", StringComparison.OrdinalIgnoreCase))
        {
            error = RpcParams.Id(p);
            if (error is null) SetOutput(!_output, result, ref change);
            return true;
        }
        if (method.Equals("Switch.GetStatus", StringComparison.OrdinalIgnoreCase))
        {
            error = RpcParams.Id(p);
            if (error is null)
            {
                result.WriteStartObject();
                WriteComponentStatus(result);
                result.WriteEndObject();
            }
            return true;
        }
        if (method.Equals("Switch.GetConfig", StringComparison.OrdinalIgnoreCase))
        {
            error = RpcParams.Id(p);
            if (error is null)
            {
                result.WriteStartObject();
                WriteComponentConfig(result);
                result.WriteEndObject();
            }
            return true;
        }
        return false;
    }

    private void SetOutput(bool on, Utf8JsonWriter result, ref ComponentChange change)
    {
        var was = _output;
        Meter();
        _output = on;
        _source = change.Source;
        change.Output = was != on;
        result.WriteStartObject();
        result.WriteBoolean("was_on", was);
        result.WriteEndObject();
    }

    private protected override void Press(ref ComponentChange change)
    {
        Meter();
        _output = !_output;
        _source = change.Source;
        change.Output = true;
    }

    private protected override void WriteChange(Utf8JsonWriter w, in ComponentChange change)
    {
        w.WriteNumber("id", 0);
        if (change.Output) w.WriteBoolean("output", _output);
        w.WriteString("source", change.Source);
    }

    private protected override void WriteComponentStatus(Utf8JsonWriter w)
    {
        Meter();
        var watts = _output ? LoadWatts : 0;
        w.WriteNumber("id", 0);
        w.WriteString("source", _source);
        w.WriteBoolean("output", _output);
        w.WriteNumber("apower", Math.Round(watts, 1));
        w.WriteNumber("voltage", Voltage);
        w.WriteNumber("freq", 50.0);
        w.WriteNumber("current", Math.Round(watts / Voltage, 3));
        w.WriteStartObject("aenergy");
        w.WriteNumber("total", Math.Round(_energyWh, 3));
        w.WriteStartArray("by_minute");
        w.WriteNumberValue(0);
        w.WriteNumberValue(0);
        w.WriteNumberValue(0);
        w.WriteEndArray();
        w.WriteNumber("minute_ts", Time.GetUtcNow().ToUnixTimeSeconds() / 60 * 60);
        w.WriteEndObject();
        w.WriteStartObject("temperature");
        w.WriteNumber("tC", 40.1);
        w.WriteNumber("tF", 104.2);
        w.WriteEndObject();
    }

    private protected override void WriteComponentConfig(Utf8JsonWriter w)
    {
        w.WriteNumber("id", 0);
        w.WriteString("name", Name);
        w.WriteString("initial_state", "restore_last");
        w.WriteBoolean("auto_on", false);
        w.WriteNumber("auto_on_delay", 60.0);
        w.WriteBoolean("auto_off", false);
        w.WriteNumber("auto_off_delay", 60.0);
        w.WriteNumber("power_limit", 2500);
        w.WriteNumber("voltage_limit", 280);
        w.WriteNumber("current_limit", 12.0);
    }

    /// <summary>Adds the energy used since the last reading.</summary>
    private void Meter()
    {
        var now = Time.GetUtcNow();
        if (_output) _energyWh += LoadWatts * (now - _energySince).TotalHours;
        _energySince = now;
    }
}
