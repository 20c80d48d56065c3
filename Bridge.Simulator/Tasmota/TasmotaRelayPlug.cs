using System.Text.Json;

namespace Bridge.Simulator.Tasmota;

/// <summary>A Tasmota smart plug: one relay (<c>rl</c> [1]), POWER only.</summary>
public sealed class TasmotaRelayPlug : TasmotaDevice
{
    private bool _power;

    public TasmotaRelayPlug(string topic, string name, string mac, string? module = null, TimeProvider? time = null)
        : base(topic, "relay_plug", name, mac, module ?? "Generic Smart Plug", time)
    {
    }

    public void SetState(bool? power = null)
    {
        lock (Gate)
            if (power is { } p) _power = p;
    }

    public override IReadOnlyDictionary<string, object> Snapshot()
    {
        lock (Gate) return new Dictionary<string, object> { ["power"] = _power ? "on" : "off" };
    }

    private protected override int[] Relays => [1];
    private protected override int PowerBits() => _power ? 1 : 0;

    private protected override bool Execute(ReadOnlySpan<char> command, ReadOnlySpan<byte> arg, Utf8JsonWriter result, ref PowerReport power)
    {
        if (!TasmotaArgs.Is(command, "POWER") && !TasmotaArgs.Is(command, "POWER1") && !TasmotaArgs.Is(command, "POWER0")) return false;
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

    private protected override string Press(Utf8JsonWriter report, ref PowerReport power)
    {
        _power = !_power;
        power = _power ? PowerReport.On : PowerReport.Off;
        report.WriteStartObject();
        report.WriteString("POWER", _power ? "ON" : "OFF");
        report.WriteEndObject();
        return ResultTopic;
    }

    private protected override void WriteStateFields(Utf8JsonWriter w) => w.WriteString("POWER", _power ? "ON" : "OFF");
}
