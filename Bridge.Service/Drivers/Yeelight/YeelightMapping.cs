using System.Globalization;
using System.Text.Json;
using Bridge.Protocols.Model;
using Bridge.Service.Drivers.Mapping;
using static Bridge.Service.Drivers.Mapping.MappingSection;

namespace Bridge.Service.Drivers.Yeelight;

/// <summary>How one capability maps onto a Yeelight property and the method that sets it.</summary>
public sealed record YeelightCapabilityMap(Capability Capability, string Prop, string? Method, IReadOnlyDictionary<string, string> ToDevice) : ICapabilityMap;

/// <summary>The profile's <c>yeelight</c> section: capabilities ⇄ properties, and the transition
/// the set methods ask for (<c>effect</c>, <c>duration_ms</c>).</summary>
public sealed class YeelightMapping
{
    public required IReadOnlyList<YeelightCapabilityMap> Capabilities { get; init; }
    public string Effect { get; init; } = "sudden";
    public int DurationMs { get; init; } = 30;

    public IEnumerable<string> Props => Capabilities.Select(c => c.Prop);

    public YeelightCapabilityMap? Find(string capability) => Capabilities.Find(capability);

    public static YeelightMapping For(DeviceProfile profile) => MappingCache<YeelightMapping>.For(profile, Parse);

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
        const string needs = "needs an object with 'prop'";
        var caps = MappingSection.ReadCapabilities(profile, YeelightDriver.DriverName, problems, (cap, c, where) =>
        {
            if (Str(c, "prop") is not { } prop)
            {
                problems.Add($"{where}: {needs}");
                return null;
            }
            var method = Str(c, "method");
            if (!cap.ReadOnly && method is null) problems.Add($"{where}: a writable capability needs 'method'");
            var to = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (var v in Values(c))
                if (v.Value.ValueKind == JsonValueKind.String) to[v.Name] = v.Value.GetString()!;
            if (cap.Type == CapabilityType.Enum) RequireEveryValue(cap, to.ContainsKey, where, problems);
            return new YeelightCapabilityMap(cap, prop, method, to);
        }, needs);
        if (profile.Mapping.ValueKind != JsonValueKind.Object) return new YeelightMapping { Capabilities = caps };
        var m = profile.Mapping;
        var effect = Str(m, "effect") ?? "smooth";
        if (effect is not ("smooth" or "sudden")) problems.Add($"profile '{profile.Id}': yeelight 'effect' must be smooth or sudden");
        var duration = Int(m, "duration_ms") ?? 300;
        if (duration < 30) problems.Add($"profile '{profile.Id}': yeelight 'duration_ms' must be at least 30 (the bulbs' minimum)");
        return new YeelightMapping { Capabilities = caps, Effect = effect, DurationMs = duration };
    }
}
