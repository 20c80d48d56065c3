using System.Collections.Concurrent;
using System.Text.Json;
using Bridge.Protocols.Model;

namespace Bridge.Service.Drivers.Shelly;

/// <summary>How one capability maps onto a Shelly component: where status carries it and which
/// RPC method and parameter set it. Read from the profile's "shelly" section.</summary>
public sealed class ShellyCapabilityMap
{
    public required Capability Capability { get; init; }
    public required string Component { get; init; }
    public required string Field { get; init; }
    public string? Method { get; init; }
    public string? Param { get; init; }
    /// <summary>Capability value → JSON value on the wire (e.g. "on" → true).</summary>
    public IReadOnlyDictionary<string, JsonElement> ToDevice { get; init; } = new Dictionary<string, JsonElement>();

    public int ComponentIndex => int.TryParse(Component.AsSpan(Component.IndexOf(':') + 1), out var i) ? i : 0;
}

public sealed class ShellyMapping
{
    private static readonly ConcurrentDictionary<DeviceProfile, ShellyMapping> Cache = new();

    public required IReadOnlyList<ShellyCapabilityMap> Capabilities { get; init; }

    public ShellyCapabilityMap? Find(string capability)
    {
        foreach (var c in Capabilities)
            if (c.Capability.Name == capability) return c;
        return null;
    }

    public static ShellyMapping For(DeviceProfile profile) => Cache.GetOrAdd(profile, p => Parse(p, new List<string>()));

    public static ShellyMapping Parse(DeviceProfile profile, List<string> problems)
    {
        var caps = new List<ShellyCapabilityMap>();
        var m = profile.Mapping;
        if (m.ValueKind != JsonValueKind.Object)
        {
            problems.Add($"profile '{profile.Id}': the 'shelly' mapping section is missing");
            return new ShellyMapping { Capabilities = caps };
        }
        foreach (var cap in profile.Capabilities)
        {
            var where = $"profile '{profile.Id}', shelly mapping of '{cap.Name}'";
            if (!m.TryGetProperty(cap.Name, out var c) || c.ValueKind != JsonValueKind.Object)
            {
                problems.Add($"{where}: missing");
                continue;
            }
            var component = Str(c, "component");
            var field = Str(c, "field");
            if (component is null || !component.Contains(':') || field is null)
            {
                problems.Add($"{where}: needs 'component' (e.g. switch:0) and 'field'");
                continue;
            }
            var method = Str(c, "method");
            var param = Str(c, "param");
            if (!cap.ReadOnly && (method is null || param is null)) problems.Add($"{where}: a writable capability needs 'method' and 'param'");
            var to = new Dictionary<string, JsonElement>(StringComparer.Ordinal);
            if (c.TryGetProperty("values", out var values) && values.ValueKind == JsonValueKind.Object)
                foreach (var v in values.EnumerateObject()) to[v.Name] = v.Value.Clone();
            if (cap.Type == CapabilityType.Enum)
                foreach (var allowed in cap.Values)
                    if (!to.ContainsKey(allowed)) problems.Add($"{where}: 'values' has no entry for '{allowed}'");
            caps.Add(new ShellyCapabilityMap
            {
                Capability = cap, Component = component, Field = field, Method = method, Param = param, ToDevice = to,
            });
        }
        return new ShellyMapping { Capabilities = caps };
    }

    private static string? Str(JsonElement e, string name) =>
        e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;
}
