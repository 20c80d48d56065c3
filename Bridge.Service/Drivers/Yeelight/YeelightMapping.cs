using System.Collections.Concurrent;
using System.Globalization;
using System.Text.Json;
using Bridge.Protocols.Model;

namespace Bridge.Service.Drivers.Yeelight;

/// <summary>How one capability maps onto a Yeelight property and the method that sets it.</summary>
public sealed record YeelightCapabilityMap(Capability Capability, string Prop, string? Method, IReadOnlyDictionary<string, string> ToDevice);

/// <summary>The profile's <c>yeelight</c> section: capabilities ⇄ properties, and the transition
/// the set methods ask for (<c>effect</c>, <c>duration_ms</c>).</summary>
public sealed class YeelightMapping
{
    private static readonly ConcurrentDictionary<DeviceProfile, YeelightMapping> Cache = new();

    public required IReadOnlyList<YeelightCapabilityMap> Capabilities { get; init; }
    public string Effect { get; init; } = "sudden";
    public int DurationMs { get; init; } = 30;

    public IEnumerable<string> Props => Capabilities.Select(c => c.Prop);

    public YeelightCapabilityMap? Find(string capability) => Capabilities.FirstOrDefault(c => c.Capability.Name == capability);

    public static YeelightMapping For(DeviceProfile profile) => Cache.GetOrAdd(profile, p => Parse(p, []));

    /// <summary>Capability values from bulb properties (props notifications, get_prop results);
    /// values that do not fit the capability are left out.</summary>
    public void Read(IEnumerable<KeyValuePair<string, string>> props, List<KeyValuePair<string, StateValue>> into)
    {
        foreach (var (name, text) in props)
        {
            var map = Capabilities.FirstOrDefault(c => c.Prop == name);
            if (map is null) continue;
            if (map.Capability.Type == CapabilityType.Enum)
            {
                foreach (var (value, wire) in map.ToDevice)
                    if (wire == text) into.Add(new(map.Capability.Name, StateValue.Of(value)));
            }
            else if (double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var n) && double.IsFinite(n))
            {
                into.Add(new(map.Capability.Name, StateValue.Of(map.Capability.Type == CapabilityType.Int ? Math.Round(n) : n)));
            }
        }
    }

    public static YeelightMapping Parse(DeviceProfile profile, List<string> problems)
    {
        var caps = new List<YeelightCapabilityMap>();
        var m = profile.Mapping;
        if (m.ValueKind != JsonValueKind.Object)
        {
            problems.Add($"profile '{profile.Id}': the 'yeelight' mapping section is missing");
            return new YeelightMapping { Capabilities = caps };
        }
        foreach (var cap in profile.Capabilities)
        {
            var where = $"profile '{profile.Id}', yeelight mapping of '{cap.Name}'";
            if (!m.TryGetProperty(cap.Name, out var c) || c.ValueKind != JsonValueKind.Object || Str(c, "prop") is not { } prop)
            {
                problems.Add($"{where}: needs an object with 'prop'");
                continue;
            }
            var method = Str(c, "method");
            if (!cap.ReadOnly && method is null) problems.Add($"{where}: a writable capability needs 'method'");
            var to = new Dictionary<string, string>(StringComparer.Ordinal);
            if (c.TryGetProperty("values", out var values) && values.ValueKind == JsonValueKind.Object)
                foreach (var v in values.EnumerateObject())
                    if (v.Value.ValueKind == JsonValueKind.String) to[v.Name] = v.Value.GetString()!;
            if (cap.Type == CapabilityType.Enum)
                foreach (var allowed in cap.Values)
                    if (!to.ContainsKey(allowed)) problems.Add($"{where}: 'values' has no entry for '{allowed}'");
            caps.Add(new YeelightCapabilityMap(cap, prop, method, to));
        }
        var effect = Str(m, "effect") ?? "smooth";
        if (effect is not ("smooth" or "sudden")) problems.Add($"profile '{profile.Id}': yeelight 'effect' must be smooth or sudden");
        var duration = m.TryGetProperty("duration_ms", out var d) && d.ValueKind == JsonValueKind.Number && d.TryGetInt32(out var ms) ? ms : 300;
        if (duration < 30) problems.Add($"profile '{profile.Id}': yeelight 'duration_ms' must be at least 30 (the bulbs' minimum)");
        return new YeelightMapping { Capabilities = caps, Effect = effect, DurationMs = duration };
    }

    private static string? Str(JsonElement e, string name) =>
        e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;
}
