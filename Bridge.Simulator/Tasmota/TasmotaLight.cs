using System.Text.Json;
using Bridge.Protocols.Tasmota;

namespace Bridge.Simulator.Tasmota;

/// <summary>A Tasmota light: a dimmer (1 channel, <c>lt_st</c> 1) or a CCT bulb (2 channels, <c>lt_st</c> 2,
/// CT in mireds). Answers POWER, Dimmer, CT, White, Color with Tasmota's LightState.</summary>
public sealed class TasmotaLight : TasmotaDevice
{
    public const int DimmerStep = 10;
    public const int CtStep = 34;

    private bool _power;
    private int _dimmer;
    private int _ct;

    /// <param name="colorTemperature">True for a CCT bulb (<c>lt_st</c> 2), false for a plain dimmer (<c>lt_st</c> 1).</param>
    public TasmotaLight(string topic, string name, string mac, bool colorTemperature = true, string? module = null, TimeProvider? time = null)
        : base(topic, colorTemperature ? "ct_light" : "dimmer_light", name, mac, module ?? (colorTemperature ? "Generic CCT Bulb" : "Generic Dimmer"), time)
    {
        HasCt = colorTemperature;
        _dimmer = 100;
        _ct = 370;
    }

    public bool HasCt { get; }

    /// <summary>Sets the state as if the device had booted with it.</summary>
    public void SetState(bool? power = null, int? dimmer = null, int? ctMireds = null)
    {
        lock (Gate)
        {
            if (power is { } p) _power = p;
            if (dimmer is { } d) _dimmer = Math.Clamp(d, 0, 100);
            if (ctMireds is { } c) _ct = Math.Clamp(c, TasmotaColorTemp.MinMired, TasmotaColorTemp.MaxMired);
        }
    }

    public override IReadOnlyDictionary<string, object> Snapshot()
    {
        lock (Gate)
        {
            var s = new Dictionary<string, object> { ["power"] = _power ? "on" : "off", ["brightness"] = _dimmer };
            if (HasCt) s["color_temp"] = TasmotaColorTemp.MiredToKelvin(_ct);
            return s;
        }
    }

    private protected override int[] Relays => [2];
    private protected override int LightSubtype => HasCt ? 2 : 1;
    private protected override int PowerBits() => _power ? 1 : 0;

    private protected override bool Execute(ReadOnlySpan<char> command, ReadOnlySpan<byte> arg, Utf8JsonWriter result, ref PowerReport power)
    {
        if (TasmotaArgs.Is(command, "POWER") || TasmotaArgs.Is(command, "POWER1") || TasmotaArgs.Is(command, "POWER0"))
        {
            if (TasmotaArgs.TryPower(arg, _power, out var on))
            {
                _power = on;
                power = on ? PowerReport.On : PowerReport.Off;
            }
            result.WriteStartObject();
            result.WriteString("POWER", _power ? "ON" : "OFF");
            result.WriteEndObject();
            return true;
        }
        if (TasmotaArgs.Is(command, "Dimmer") || (HasCt && TasmotaArgs.Is(command, "White")))
        {
            if (TasmotaArgs.TryStep(arg, _dimmer, DimmerStep, 0, 100, out var d))
            {
                if (d == 0) _power = false;
                else
                {
                    _dimmer = d;
                    _power = true;
                }
            }
            WriteLightState(result);
            return true;
        }
        if (HasCt && TasmotaArgs.Is(command, "CT"))
        {
            if (TasmotaArgs.TryStep(arg, _ct, CtStep, TasmotaColorTemp.MinMired, TasmotaColorTemp.MaxMired, out var ct)) _ct = ct;
            WriteLightState(result);
            return true;
        }
        if (TasmotaArgs.Is(command, "Color") && arg.IsEmpty)
        {
            WriteLightState(result);
            return true;
        }
        return false;
    }

    private protected override string Press(Utf8JsonWriter report, ref PowerReport power)
    {
        _power = !_power;
        power = _power ? PowerReport.On : PowerReport.Off;
        report.WriteStartObject();
        report.WriteString("POWER", _power ? "ON" : "OFF");
        report.WriteEndObject();
        return ResultTopic;
    }

    private protected override void WriteStateFields(Utf8JsonWriter w)
    {
        WriteLightFields(w);
        w.WriteNumber("Scheme", 0);
        w.WriteNumber("Width", 1);
        w.WriteString("Fade", "OFF");
        w.WriteNumber("Speed", 1);
        w.WriteString("LedTable", "ON");
    }

    private void WriteLightState(Utf8JsonWriter w)
    {
        w.WriteStartObject();
        WriteLightFields(w);
        w.WriteEndObject();
    }

    /// <summary>LightState's keys in Tasmota's order: POWER, Dimmer, then for CCT Color, White, CT, Channel.</summary>
    private void WriteLightFields(Utf8JsonWriter w)
    {
        w.WriteString("POWER", _power ? "ON" : "OFF");
        w.WriteNumber("Dimmer", _dimmer);
        if (!HasCt)
        {
            w.WriteStartArray("Channel");
            w.WriteNumberValue(_dimmer);
            w.WriteEndArray();
            return;
        }
        var total = _dimmer * 255.0 / 100;
        var warm = (_ct - TasmotaColorTemp.MinMired) / (double)(TasmotaColorTemp.MaxMired - TasmotaColorTemp.MinMired);
        var ww = (int)Math.Round(total * warm);
        var cw = (int)Math.Round(total) - ww;
        Span<char> hex = stackalloc char[4];
        cw.TryFormat(hex, out _, "X2");
        ww.TryFormat(hex[2..], out _, "X2");
        w.WriteString("Color", hex);
        w.WriteNumber("White", _dimmer);
        w.WriteNumber("CT", _ct);
        w.WriteStartArray("Channel");
        w.WriteNumberValue((int)Math.Round(cw * 100 / 255.0));
        w.WriteNumberValue((int)Math.Round(ww * 100 / 255.0));
        w.WriteEndArray();
    }
}
