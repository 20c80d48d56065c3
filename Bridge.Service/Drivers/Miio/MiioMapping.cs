using System.Text.Json;
using Bridge.Protocols.Miio;
using Bridge.Protocols.Model;
using Bridge.Service.Drivers.Mapping;
using static Bridge.Service.Drivers.Mapping.MappingSection;

namespace Bridge.Service.Drivers.Miio;

/// <summary>How one capability maps onto a MIoT property (service id, property id): enum values ⇄
/// property values (<c>values</c>), or a number scaled (<c>scale</c>: property = value × scale).</summary>
public sealed record MiioCapabilityMap(Capability Capability, int Siid, int Piid, IReadOnlyList<KeyValuePair<string, JsonElement>> Values, double Scale) : ICapabilityMap
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
    public required IReadOnlyList<MiioCapabilityMap> Capabilities { get; init; }

    public MiioCapabilityMap? Find(string capability) => Capabilities.Find(capability);

    public MiioCapabilityMap? Find(int siid, int piid) => Capabilities.FirstOrDefault(c => c.Siid == siid && c.Piid == piid);

    public static MiioMapping For(DeviceProfile profile) => MappingCache<MiioMapping>.For(profile, Parse);

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
        const string needs = "needs an object with 'siid' and 'piid' (the MIoT service and property ids, e.g. 2 and 1)";
        var mapped = new HashSet<(int Siid, int Piid)>();
        return new MiioMapping { Capabilities = ReadCapabilities(profile, MiioDevices.Protocol, problems, (cap, c, where) =>
        {
            if (Int(c, "siid") is not (int siid and >= 1) || Int(c, "piid") is not (int piid and >= 1))
            {
                problems.Add($"{where}: {needs}");
                return null;
            }
            var values = new List<KeyValuePair<string, JsonElement>>();
            foreach (var v in Values(c)) values.Add(new(v.Name, v.Value.Clone()));
            if (cap.Type == CapabilityType.Enum) RequireEveryValue(cap, allowed => values.Any(v => v.Key == allowed), where, problems);
            var scale = Number(c, "scale") ?? 1;
            if (scale == 0) problems.Add($"{where}: 'scale' must not be 0");
            if (!mapped.Add((siid, piid))) problems.Add($"{where}: property {siid}/{piid} is mapped twice");
            return new MiioCapabilityMap(cap, siid, piid, values, scale == 0 ? 1 : scale);
        }, needs) };
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
