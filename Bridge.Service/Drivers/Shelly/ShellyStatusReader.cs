using System.Text.Json;
using Bridge.Protocols.Model;

namespace Bridge.Service.Drivers.Shelly;

/// <summary>Reads capability values out of Shelly status objects (GetStatus results,
/// NotifyStatus/NotifyFullStatus params), by the profile's mapping.</summary>
public static class ShellyStatusReader
{
    /// <summary><paramref name="status"/> holds components by key (<c>"switch:0": {...}</c>).</summary>
    public static void Read(JsonElement status, ShellyMapping mapping, List<KeyValuePair<string, StateValue>> into)
    {
        if (status.ValueKind != JsonValueKind.Object) return;
        foreach (var map in mapping.Capabilities)
        {
            if (status.TryGetProperty(map.Component, out var component))
                ReadComponent(component, map, into);
        }
    }

    /// <summary>One component's status (a <c>Switch.GetStatus</c> result).</summary>
    public static void ReadComponent(JsonElement component, ShellyCapabilityMap map, List<KeyValuePair<string, StateValue>> into)
    {
        if (component.ValueKind != JsonValueKind.Object || !component.TryGetProperty(map.Field, out var v)) return;
        if (map.Capability.Type == CapabilityType.Enum)
        {
            foreach (var (name, wire) in map.ToDevice)
            {
                if (JsonElement.DeepEquals(wire, v))
                {
                    into.Add(new(map.Capability.Name, StateValue.Of(name)));
                    return;
                }
            }
        }
        else if (v.ValueKind == JsonValueKind.Number)
        {
            var n = v.GetDouble();
            if (!double.IsFinite(n)) return;
            if (map.Capability.Type == CapabilityType.Int) n = Math.Round(n);
            into.Add(new(map.Capability.Name, StateValue.Of(n)));
        }
    }
}
