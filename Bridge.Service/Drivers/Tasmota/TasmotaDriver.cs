using System.Buffers;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Bridge.Protocols.Model;
using Bridge.Protocols.Tasmota;
using Bridge.Service.Devices;
using Bridge.Service.Mqtt;

namespace Bridge.Service.Drivers.Tasmota;

/// <summary>Sends capability changes to Tasmota devices as <c>cmnd/&lt;t&gt;/&lt;Command&gt;</c> messages.</summary>
public sealed class TasmotaDriver(IMqttLink mqtt) : IDeviceDriver
{
    public const string DriverName = "tasmota";
    public const string TopicKey = "topic";
    public const string CommandPrefixKey = "cmnd";

    public string Name => DriverName;

    public void ValidateProfile(DeviceProfile profile, List<string> problems)
    {
        TasmotaMapping.Parse(profile, problems);
        TasmotaProfileMatcher.Validate(profile, problems);
    }

    /// <summary>Tasmota answers each command in the order it got them (stat/&lt;t&gt;/RESULT), so commands
    /// overlap and a report confirms the oldest one it carries values for. A device with a
    /// whole-state command (IRHVAC) is serial: each command is built on the state confirmed before it.</summary>
    public CommandConcurrency Concurrency(Device device)
    {
        var maps = TasmotaMapping.For(device.Profile).Capabilities;
        for (var i = 0; i < maps.Count; i++)
            if (maps[i].Field is not null) return CommandConcurrency.Serial;
        return CommandConcurrency.Ordered;
    }

    public StateValue Expected(Device device, Capability capability, StateValue requested)
    {
        var map = TasmotaMapping.For(device.Profile).Find(capability.Name);
        return map is { Mired: true } ? StateValue.Of(TasmotaColorTemp.MiredToKelvin(TasmotaColorTemp.KelvinToMired(requested.Number))) : requested;
    }

    public async ValueTask SendAsync(Device device, IReadOnlyList<Change> changes, CancellationToken ct)
    {
        var mapping = TasmotaMapping.For(device.Profile);
        var topic = device.Binding[TopicKey];
        var prefix = device.Binding.GetValueOrDefault(CommandPrefixKey, TasmotaTopics.Command);
        // Switching on goes first and switching off last, so a Dimmer or CT change (which
        // Tasmota applies by turning the light on) can't undo a requested "off".
        foreach (var change in changes.OrderBy(PowerOrder))
        {
            var map = mapping.Find(change.Capability.Name)!;
            if (map.Field is not null) continue;
            var payload = Encoding.UTF8.GetBytes(DeviceText(map, change.Value));
            await mqtt.PublishCommandAsync(TasmotaTopics.Default(prefix, topic, map.Command!), payload, ct).ConfigureAwait(false);
        }
        foreach (var command in changes.Select(c => mapping.Find(c.Capability.Name)!).Where(m => m.Field is not null).Select(m => m.Command!).Distinct())
        {
            var payload = JsonCommand(device, mapping, command, changes);
            await mqtt.PublishCommandAsync(TasmotaTopics.Default(prefix, topic, command), payload, ct).ConfigureAwait(false);
        }

        static int PowerOrder(Change c) =>
            c.Capability.Name != CapabilityNames.Power ? 1 : c.Value.Text == "off" ? 2 : 0;
    }

    /// <summary>A JSON-payload command such as IRHVAC carries the whole state each time (an IR
    /// remote sends everything at once): defaults, then current state, then the changes.</summary>
    private static byte[] JsonCommand(Device device, TasmotaMapping mapping, string command, IReadOnlyList<Change> changes)
    {
        var buffer = new ArrayBufferWriter<byte>(256);
        using (var w = new Utf8JsonWriter(buffer))
        {
            w.WriteStartObject();
            if (mapping.CommandDefaults.TryGetValue(command, out var defaults) && defaults.ValueKind == JsonValueKind.Object)
                foreach (var p in defaults.EnumerateObject()) p.WriteTo(w);
            foreach (var map in mapping.Capabilities)
            {
                if (map.Command != command || map.Field is null) continue;
                StateValue value;
                var changed = false;
                foreach (var c in changes)
                {
                    if (c.Capability.Name != map.Capability.Name) continue;
                    value = c.Value;
                    changed = true;
                    Write(w, map, value);
                }
                if (!changed && device.TryGetState(map.Capability.Name, out value)) Write(w, map, value);
            }
            w.WriteEndObject();
        }
        return buffer.WrittenSpan.ToArray();

        static void Write(Utf8JsonWriter w, TasmotaCapabilityMap map, StateValue value)
        {
            w.WritePropertyName(map.Field!);
            if (map.Capability.Type == CapabilityType.Enum) w.WriteStringValue(DeviceText(map, value));
            else value.WriteTo(w);
        }
    }

    private static string DeviceText(TasmotaCapabilityMap map, StateValue value)
    {
        if (value.IsText) return map.ToDevice.GetValueOrDefault(value.Text!, value.Text!);
        var number = map.Mired ? TasmotaColorTemp.KelvinToMired(value.Number) : value.Number;
        return number.ToString(CultureInfo.InvariantCulture);
    }
}
