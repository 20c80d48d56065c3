using System.Text.Json;

namespace Bridge.Simulator.Shelly;

/// <summary>A Shelly Dimmer Gen3 (app DimmerG3, component <c>light:0</c>): Light.Set (on and/or brightness;
/// brightness alone leaves on/off as it is), Light.Toggle, Light.GetStatus, Light.GetConfig.</summary>
public sealed class ShellyDimmer : ShellyDevice
{
    private const string LightComponent = "light:0";
    private bool _output;
    private int _brightness = 50;
    private string _source = "init";

    public ShellyDimmer(string deviceId, string name, TimeProvider? time = null)
        : base(deviceId, "dimmer", name, "S3DM-0010WW", "DimmerG3", 3, time)
    {
    }

    public void SetState(bool? power = null, int? brightness = null)
    {
        lock (Gate)
        {
            if (power is { } p) _output = p;
            if (brightness is { } b) _brightness = Math.Clamp(b, 0, 100);
        }
    }

    public override IReadOnlyDictionary<string, object> Snapshot()
    {
        lock (Gate) return new Dictionary<string, object> { ["power"] = _output ? "on" : "off", ["brightness"] = _brightness };
    }

    private protected override string Component => LightComponent;

    private protected override bool TryInvoke(string method, JsonElement p, Utf8JsonWriter result, ref ComponentChange change, out RpcError? error)
    {
        error = null;
        if (method.Equals("Light.Set", StringComparison.OrdinalIgnoreCase))
        {
            bool? on = null;
            int? brightness = null;
            error = RpcParams.Id(p)
                ?? RpcParams.Bool(p, "on", required: false, out on)
                ?? RpcParams.Int(p, "brightness", 0, 100, required: false, out brightness)
                ?? RpcParams.Number(p, "transition_duration", 0, 3600, out _)
                ?? RpcParams.Number(p, "toggle_after", 0, 86400 * 7, out _);
            if (error is null && on is null && brightness is null) error = RpcError.Missing("on");
            if (error is not null) return true;
            Apply(on, brightness, ref change);
            result.WriteStartObject();
            result.WriteEndObject();
            return true;
        }
        if (method.Equals("Light.Toggle", StringComparison.OrdinalIgnoreCase))
        {
            error = RpcParams.Id(p);
            if (error is not null) return true;
            Apply(!_output, null, ref change);
            result.WriteStartObject();
            result.WriteEndObject();
            return true;
        }
        if (method.Equals("Light.GetStatus", StringComparison.OrdinalIgnoreCase) || method.Equals("Light.GetConfig", StringComparison.OrdinalIgnoreCase))
        {
            error = RpcParams.Id(p);
            if (error is not null) return true;
            result.WriteStartObject();
            if (method.EndsWith("Status", StringComparison.OrdinalIgnoreCase)) WriteComponentStatus(result);
            else WriteComponentConfig(result);
            result.WriteEndObject();
            return true;
        }
        return false;
    }

    private void Apply(bool? on, int? brightness, ref ComponentChange change)
    {
        if (on is { } o && o != _output)
        {
            _output = o;
            change.Output = true;
        }
        if (brightness is { } b && b != _brightness)
        {
            _brightness = b;
            change.Brightness = true;
        }
        if (change.Any) _source = change.Source;
    }

    private protected override void Press(ref ComponentChange change) => Apply(!_output, null, ref change);

    private protected override void WriteChange(Utf8JsonWriter w, in ComponentChange change)
    {
        w.WriteNumber("id", 0);
        if (change.Output) w.WriteBoolean("output", _output);
        if (change.Brightness) w.WriteNumber("brightness", _brightness);
        w.WriteString("source", change.Source);
    }

    private protected override void WriteComponentStatus(Utf8JsonWriter w)
    {
        w.WriteNumber("id", 0);
        w.WriteString("source", _source);
        w.WriteBoolean("output", _output);
        w.WriteNumber("brightness", _brightness);
        w.WriteStartObject("temperature");
        w.WriteNumber("tC", 38.2);
        w.WriteNumber("tF", 100.8);
        w.WriteEndObject();
    }

    private protected override void WriteComponentConfig(Utf8JsonWriter w)
    {
        w.WriteNumber("id", 0);
        w.WriteString("name", Name);
        w.WriteString("initial_state", "restore_last");
        w.WriteBoolean("auto_on", false);
        w.WriteBoolean("auto_off", false);
        w.WriteNumber("transition_duration", 3.0);
        w.WriteNumber("min_brightness_on_toggle", 3);
        w.WriteNumber("night_mode", 0);
    }
}
