using System.Text.Json;
using Bridge.Protocols.Tasmota;
using Bridge.Simulator.Shelly;
using Bridge.Simulator.Tasmota;

namespace Bridge.Simulator.Scenario;

/// <summary>Makes simulated devices of every protocol from scenario specs, by protocol and type from a table:
/// each maker returns the twin with its initial state and faults.</summary>
internal static class DeviceFactory
{
    private static readonly Dictionary<string, Func<DeviceSpec, TimeProvider?, ISimulatedTwin>> Makers = new(StringComparer.Ordinal)
    {
        ["tasmota/ct_light"] = (s, t) => Tasmota(Light(s, t, colorTemperature: true), s),
        ["tasmota/dimmer_light"] = (s, t) => Tasmota(Light(s, t, colorTemperature: false), s),
        ["tasmota/relay_plug"] = (s, t) => Tasmota(RelayPlug(s, t), s),
        ["tasmota/ir_hvac"] = (s, t) => Tasmota(IrHvac(s, t), s),
        ["tasmota/water_heater"] = (s, t) => Tasmota(WaterHeater(s, t), s),
        ["shelly/plug"] = (s, t) => Shelly(ShellyPlug(s, t), s),
        ["shelly/dimmer"] = (s, t) => Shelly(ShellyDimmer(s, t), s),
        [BulbFactory.Protocol + "/" + BulbFactory.Type] = BulbFactory.Create,
    };

    public static IEnumerable<string> Known => Makers.Keys;

    public static bool Knows(string protocol, string type) => Makers.ContainsKey(protocol + "/" + type);

    /// <summary>The device with its initial state and faults; null (with the reason in <paramref name="problems"/>) if the state is invalid.</summary>
    public static ISimulatedTwin? Create(DeviceSpec spec, TimeProvider? time, List<string> problems)
    {
        try
        {
            return Makers[spec.Protocol + "/" + spec.Type](spec, time);
        }
        catch (Exception e) when (e is ArgumentException or FormatException or InvalidOperationException)
        {
            problems.Add($"device '{spec.Id}': {e.Message}");
            return null;
        }
    }

    /// <summary>The faults every broker device takes.</summary>
    private static T WithFaults<T>(T device, DeviceSpec spec) where T : SimulatedDevice
    {
        device.Faults.ReplyDelay = spec.ReplyDelay;
        device.Faults.IgnoreCommands = spec.IgnoreCommands;
        device.Faults.DropRate = spec.DropRate;
        device.StartOffline = spec.StartOffline;
        return device;
    }

    private static TasmotaDevice Tasmota(TasmotaDevice device, DeviceSpec spec)
    {
        if (spec.TelePeriod is { } tele) device.TelePeriod = tele;
        return WithFaults(device, spec);
    }

    /// <summary>A Shelly not yet adopted is fresh out of the box: MQTT off, reachable by its local RPC only.</summary>
    private static ShellyDevice Shelly(ShellyDevice device, DeviceSpec spec)
    {
        if (!spec.Adopted) device.DisableMqtt();
        device.ServesLocalRpc = spec.LocalRpc || !spec.Adopted;
        device.RpcFaults.ErrorReplies = spec.RpcErrors;
        device.RpcFaults.RefuseReboot = spec.RefuseReboot;
        return WithFaults(device, spec);
    }

    private static TasmotaDevice Light(DeviceSpec s, TimeProvider? t, bool colorTemperature)
    {
        var d = new TasmotaLight(s.Id, s.Name, Mac(s), colorTemperature, s.Module, t) { IpAddress = s.Ip ?? "127.0.0.1" };
        int? ct = Int(s.State, "ct");
        if (ct is null && Int(s.State, "color_temp") is { } kelvin) ct = TasmotaColorTemp.KelvinToMired(kelvin);
        d.SetState(Power(s.State), Int(s.State, "brightness"), ct);
        return d;
    }

    private static TasmotaDevice RelayPlug(DeviceSpec s, TimeProvider? t)
    {
        var d = new TasmotaRelayPlug(s.Id, s.Name, Mac(s), s.Module, t) { IpAddress = s.Ip ?? "127.0.0.1" };
        d.SetState(Power(s.State));
        return d;
    }

    private static TasmotaDevice IrHvac(DeviceSpec s, TimeProvider? t)
    {
        var d = new TasmotaIrHvac(s.Id, s.Name, Mac(s), s.Module, t) { IpAddress = s.Ip ?? "127.0.0.1" };
        d.SetState(Power(s.State), Str(s.State, "mode"), Str(s.State, "fan_speed"), Num(s.State, "target_temperature"), Num(s.State, "current_temperature"), Str(s.State, "vendor"));
        if (Num(s.State, "ambient_temperature") is { } ambient) d.AmbientTemperature = ambient;
        return d;
    }

    private static TasmotaDevice WaterHeater(DeviceSpec s, TimeProvider? t)
    {
        var d = new TasmotaWaterHeater(s.Id, s.Name, Mac(s), s.Module, t) { IpAddress = s.Ip ?? "127.0.0.1" };
        if (Num(s.State, "room_temperature") is { } room) d.RoomTemperature = room;
        d.SetState(Power(s.State), Num(s.State, "target_temperature"), Num(s.State, "current_temperature"));
        return d;
    }

    private static ShellyDevice ShellyPlug(DeviceSpec s, TimeProvider? t)
    {
        var d = new ShellyPlug(s.Id, s.Name, t) { IpAddress = s.Ip ?? "127.0.0.1" };
        if (Num(s.State, "load_watts") is { } watts) d.LoadWatts = watts;
        d.SetState(Power(s.State));
        return d;
    }

    private static ShellyDevice ShellyDimmer(DeviceSpec s, TimeProvider? t)
    {
        var d = new ShellyDimmer(s.Id, s.Name, t) { IpAddress = s.Ip ?? "127.0.0.1" };
        d.SetState(Power(s.State), Int(s.State, "brightness"));
        return d;
    }

    private static string Mac(DeviceSpec s)
    {
        var mac = s.Mac ?? MacAddress.Stable(s.Id);
        if (!MacAddress.IsValid(mac)) throw new FormatException($"mac '{s.Mac}' must be 12 hex digits");
        return mac;
    }

    internal static bool? Power(JsonElement state) => Str(state, "power") switch
    {
        null => null,
        "on" => true,
        "off" => false,
        var other => throw new FormatException($"state.power must be \"on\" or \"off\", not \"{other}\""),
    };

    private static string? Str(JsonElement e, string name)
    {
        if (e.ValueKind != JsonValueKind.Object || !e.TryGetProperty(name, out var v)) return null;
        return v.ValueKind == JsonValueKind.String ? v.GetString() : throw new FormatException($"state.{name} must be a string");
    }

    private static double? Num(JsonElement e, string name)
    {
        if (e.ValueKind != JsonValueKind.Object || !e.TryGetProperty(name, out var v)) return null;
        return v.ValueKind == JsonValueKind.Number ? v.GetDouble() : throw new FormatException($"state.{name} must be a number");
    }

    internal static int? Int(JsonElement e, string name) => Num(e, name) is { } d ? (int)Math.Round(d) : null;
}
