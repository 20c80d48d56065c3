using System.Collections.Concurrent;
using System.Text.Json;
using Bridge.Protocols.Miio;
using Bridge.Protocols.Model;

namespace Bridge.Service.Drivers.Miio;

/// <summary>How one capability maps onto a MIoT property (service id, property id): enum values ⇄
/// property values (<c>values</c>), or a number scaled (<c>scale</c>: property = value × scale).</summary>
public sealed record MiioCapabilityMap(Capability Capability, int Siid, int Piid, IReadOnlyList<KeyValuePair<string, JsonElement>> Values, double Scale)
{
    public MiotProperty Property => new(Siid, Piid);

    public JsonElement? ToDevice(StateValue value)
    {
        if (Capability.Type == CapabilityType.Enum)
            return Values.FirstOrDefault(v => v.Key == value.Text) is { Key: not null } hit ? hit.Value : null;
        var n = value.Number * Scale;
        return Math.Abs(n - Math.Round(n)) < 1e-9 ? JsonSerializer.SerializeToElement((long)Math.Round(n)) : JsonSerializer.SerializeToElement(n);
    }

    public StateValue? FromDevice(JsonElement value)
    {
        if (Capability.Type == CapabilityType.Enum)
            return Values.FirstOrDefault(v => SameValue(v.Value, value)) is { Key: not null } hit ? StateValue.Of(hit.Key) : null;
        if (value.ValueKind != JsonValueKind.Number) return null;
        var n = value.GetDouble() / Scale;
        if (Capability.Type == CapabilityType.Int) n = Math.Round(n);
        else if (Capability.Step is { } step and > 0) n = Math.Round(n / step) * step;
        return StateValue.Of(n);
    }

    private static bool SameValue(JsonElement a, JsonElement b) => (a.ValueKind, b.ValueKind) switch
    {
        (JsonValueKind.Number, JsonValueKind.Number) => Math.Abs(a.GetDouble() - b.GetDouble()) < 1e-9,
        (JsonValueKind.String, JsonValueKind.String) => a.GetString() == b.GetString(),
        _ => a.ValueKind == b.ValueKind && a.ValueKind is JsonValueKind.True or JsonValueKind.False or JsonValueKind.Null,
    };
}

/// <summary>The profile's <c>miio</c> section: capabilities ⇄ MIoT properties (PROTOCOLS.md §10.2).</summary>
public sealed class MiioMapping
{
    private static readonly ConcurrentDictionary<DeviceProfile, MiioMapping> Cache = new();

    public required IReadOnlyList<MiioCapabilityMap> Capabilities { get; init; }

    public MiioCapabilityMap? Find(string capability) => Capabilities.FirstOrDefault(c => c.Capability.Name == capability);

    public MiioCapabilityMap? Find(int siid, int piid) => Capabilities.FirstOrDefault(c => c.Siid == siid && c.Piid == piid);

    public static MiioMapping For(DeviceProfile profile) => Cache.GetOrAdd(profile, p => Parse(p, []));

    /// <summary>Capability values from a get_properties result; properties the profile does not map, that
    /// failed (code ≠ 0) or whose value does not fit, are left out.</summary>
    public void Read(IReadOnlyList<MiotProperty> properties, List<KeyValuePair<string, StateValue>> into)
    {
        foreach (var p in properties)
            if (p.Code == 0 && p.Value is { } v && Find(p.Siid, p.Piid) is { } map && map.FromDevice(v) is { } value)
                into.Add(new(map.Capability.Name, value));
    }

    public static MiioMapping Parse(DeviceProfile profile, List<string> problems)
    {
        var caps = new List<MiioCapabilityMap>();
        var m = profile.Mapping;
        if (m.ValueKind != JsonValueKind.Object)
        {
            problems.Add($"profile '{profile.Id}': the 'miio' mapping section is missing");
            return new MiioMapping { Capabilities = caps };
        }
        foreach (var cap in profile.Capabilities)
        {
            var where = $"profile '{profile.Id}', miio mapping of '{cap.Name}'";
            if (!m.TryGetProperty(cap.Name, out var c) || c.ValueKind != JsonValueKind.Object
                || !c.TryGetProperty("siid", out var s) || !s.TryGetInt32(out var siid) || siid < 1
                || !c.TryGetProperty("piid", out var p) || !p.TryGetInt32(out var piid) || piid < 1)
            {
                problems.Add($"{where}: needs an object with 'siid' and 'piid' (the MIoT service and property ids, e.g. 2 and 1)");
                continue;
            }
            var values = new List<KeyValuePair<string, JsonElement>>();
            if (c.TryGetProperty("values", out var vs) && vs.ValueKind == JsonValueKind.Object)
                foreach (var v in vs.EnumerateObject()) values.Add(new(v.Name, v.Value.Clone()));
            if (cap.Type == CapabilityType.Enum)
                foreach (var allowed in cap.Values)
                    if (values.All(v => v.Key != allowed)) problems.Add($"{where}: 'values' has no entry for '{allowed}'");
            var scale = c.TryGetProperty("scale", out var sc) && sc.ValueKind == JsonValueKind.Number ? sc.GetDouble() : 1;
            if (scale == 0) problems.Add($"{where}: 'scale' must not be 0");
            if (caps.Any(x => x.Siid == siid && x.Piid == piid)) problems.Add($"{where}: property {siid}/{piid} is mapped twice");
            caps.Add(new MiioCapabilityMap(cap, siid, piid, values, scale == 0 ? 1 : scale));
        }
        return new MiioMapping { Capabilities = caps };
    }

    /// <summary>Whether a profile's <c>match.model</c> names <paramref name="model"/>: a string or an array
    /// of them, each exact or ending in <c>*</c> (a family, e.g. <c>xiaomi.aircondition.mc*</c>).</summary>
    public static bool Matches(DeviceProfile profile, string model)
    {
        if (!profile.Match.TryGetValue("model", out var m)) return false;
        IEnumerable<JsonElement> patterns = m.ValueKind == JsonValueKind.Array ? m.EnumerateArray() : [m];
        foreach (var p in patterns)
        {
            if (p.ValueKind != JsonValueKind.String || p.GetString() is not { Length: > 0 } pattern) continue;
            if (pattern.EndsWith('*') ? model.StartsWith(pattern[..^1], StringComparison.Ordinal) : model == pattern) return true;
        }
        return false;
    }
}
