using System.Text.Json;
using Bridge.Protocols.Model;

namespace Bridge.Service.Drivers.Mapping;

/// <summary>Reads one capability's entry of a profile's protocol section; returns null (after adding
/// to the problems) when the entry cannot be used.</summary>
/// <param name="where">"profile 'x', tasmota mapping of 'power'", to begin each problem with.</param>
public delegate T? CapabilityEntryReader<T>(Capability capability, JsonElement entry, string where) where T : class;

/// <summary>The primitives every protocol's profile mapping is read with (docs/adding-a-protocol.md):
/// the section and each capability's entry, strings, numbers and value tables, with each problem
/// named by profile, protocol and capability, so all mappings report problems the same way.</summary>
public static class MappingSection
{
    /// <summary>Reads an entry for every capability of the profile. A missing section or a missing
    /// entry is a problem (<paramref name="missingEntry"/> says what the entry needs).</summary>
    public static List<T> ReadCapabilities<T>(DeviceProfile profile, string protocol, List<string> problems,
        CapabilityEntryReader<T> read, string missingEntry = "missing") where T : class
    {
        var maps = new List<T>(profile.Capabilities.Count);
        if (!HasSection(profile, protocol, problems)) return maps;
        foreach (var cap in profile.Capabilities)
        {
            var where = Where(profile, protocol, cap);
            if (!profile.Mapping.TryGetProperty(cap.Name, out var entry) || entry.ValueKind != JsonValueKind.Object)
            {
                problems.Add($"{where}: {missingEntry}");
                continue;
            }
            if (read(cap, entry, where) is { } map) maps.Add(map);
        }
        return maps;
    }

    /// <summary>True when the profile has its protocol section (an object); otherwise adds the problem.</summary>
    public static bool HasSection(DeviceProfile profile, string protocol, List<string> problems)
    {
        if (profile.Mapping.ValueKind == JsonValueKind.Object) return true;
        problems.Add($"profile '{profile.Id}': the '{protocol}' mapping section is missing");
        return false;
    }

    public static string Where(DeviceProfile profile, string protocol, Capability capability) =>
        $"profile '{profile.Id}', {protocol} mapping of '{capability.Name}'";

    /// <summary>The member's string, or null when it is absent or not a string.</summary>
    public static string? Str(JsonElement e, string name) =>
        e.ValueKind == JsonValueKind.Object && e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;

    /// <summary>The member's number, or null when it is absent or not a number.</summary>
    public static double? Number(JsonElement e, string name) =>
        e.ValueKind == JsonValueKind.Object && e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.Number ? v.GetDouble() : null;

    /// <summary>The member's whole number, or null when it is absent or not a 32-bit integer.</summary>
    public static int? Int(JsonElement e, string name) =>
        e.ValueKind == JsonValueKind.Object && e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.Number && v.TryGetInt32(out var i) ? i : null;

    /// <summary>The entry's <c>values</c> table (capability value → device value), empty when absent.</summary>
    public static IEnumerable<JsonProperty> Values(JsonElement entry) =>
        entry.TryGetProperty("values", out var values) && values.ValueKind == JsonValueKind.Object
            ? values.EnumerateObject() : [];

    /// <summary>True when the entry has a <c>values</c> table.</summary>
    public static bool HasValues(JsonElement entry) =>
        entry.TryGetProperty("values", out var values) && values.ValueKind == JsonValueKind.Object;

    /// <summary>Adds a problem for each value the capability allows that the table does not map.</summary>
    public static void RequireEveryValue(Capability capability, Func<string, bool> mapped, string where, List<string> problems)
    {
        foreach (var allowed in capability.Values)
            if (!mapped(allowed)) problems.Add($"{where}: 'values' has no entry for '{allowed}'");
    }

    /// <summary>A JSON value as the text a device sends it as: a string's text, anything else raw.</summary>
    public static string Text(JsonElement value) =>
        value.ValueKind == JsonValueKind.String ? value.GetString()! : value.GetRawText();
}
