using System.Collections.Concurrent;
using System.Text.Json;
using Bridge.Protocols.Gree;
using Bridge.Protocols.Model;

namespace Bridge.Service.Drivers.Gree;

/// <summary>How one capability maps onto a Gree column (PROTOCOLS.md §10.3): enum names ⇄ the
/// column's integers (<c>values</c>), a number as it is (SetTem in °C), or the room temperature
/// (<c>"room": true</c>: TemSen with its offset of 40).</summary>
public sealed record GreeCapabilityMap(Capability Capability, string Column, IReadOnlyList<KeyValuePair<string, int>> Values, bool Room)
{
    public bool Writable => !Capability.ReadOnly && !Room;

    public int? ToDevice(StateValue value)
    {
        if (Capability.Type == CapabilityType.Enum)
            return Values.FirstOrDefault(v => v.Key == value.Text) is { Key: not null } hit ? hit.Value : null;
        return double.IsFinite(value.Number) ? (int)Math.Round(value.Number) : null;
    }

    public StateValue? FromDevice(int value, string? firmware)
    {
        if (Capability.Type == CapabilityType.Enum)
            return Values.FirstOrDefault(v => v.Value == value) is { Key: not null } hit ? StateValue.Of(hit.Key) : null;
        return StateValue.Of(Room ? GreeColumns.RoomTemperatureOf(value, firmware) : value);
    }
}

/// <summary>The profile's <c>gree</c> section: capabilities ⇄ columns.</summary>
public sealed class GreeMapping
{
    private static readonly ConcurrentDictionary<DeviceProfile, GreeMapping> Cache = new();

    public required IReadOnlyList<GreeCapabilityMap> Capabilities { get; init; }

    /// <summary>The columns a status poll asks for.</summary>
    public IReadOnlyList<string> Columns => _columns ??= Capabilities.Select(c => c.Column).Distinct().ToArray();
    private IReadOnlyList<string>? _columns;

    public GreeCapabilityMap? Find(string capability) => Capabilities.FirstOrDefault(c => c.Capability.Name == capability);

    public static GreeMapping For(DeviceProfile profile) => Cache.GetOrAdd(profile, p => Parse(p, []));

    /// <summary>Capability values from columns and their values (a <c>dat</c> or a <c>res</c>); columns
    /// the profile does not map, and values that fit no capability value, are left out.</summary>
    public void Read(IReadOnlyList<string> columns, IReadOnlyList<int> values, string? firmware, List<KeyValuePair<string, StateValue>> into)
    {
        for (var i = 0; i < columns.Count && i < values.Count; i++)
            foreach (var map in Capabilities)
                if (map.Column == columns[i] && map.FromDevice(values[i], firmware) is { } v) into.Add(new(map.Capability.Name, v));
    }

    public static GreeMapping Parse(DeviceProfile profile, List<string> problems)
    {
        var caps = new List<GreeCapabilityMap>();
        var m = profile.Mapping;
        if (m.ValueKind != JsonValueKind.Object)
        {
            problems.Add($"profile '{profile.Id}': the 'gree' mapping section is missing");
            return new GreeMapping { Capabilities = caps };
        }
        foreach (var cap in profile.Capabilities)
        {
            var where = $"profile '{profile.Id}', gree mapping of '{cap.Name}'";
            if (!m.TryGetProperty(cap.Name, out var c) || c.ValueKind != JsonValueKind.Object
                || !c.TryGetProperty("col", out var col) || col.ValueKind != JsonValueKind.String || string.IsNullOrEmpty(col.GetString()))
            {
                problems.Add($"{where}: needs an object with 'col' (the Gree column, e.g. \"Pow\")");
                continue;
            }
            var values = new List<KeyValuePair<string, int>>();
            if (c.TryGetProperty("values", out var vs) && vs.ValueKind == JsonValueKind.Object)
                foreach (var v in vs.EnumerateObject())
                {
                    if (v.Value.ValueKind == JsonValueKind.Number && v.Value.TryGetInt32(out var n)) values.Add(new(v.Name, n));
                    else problems.Add($"{where}: the value of '{v.Name}' must be an integer");
                }
            if (cap.Type == CapabilityType.Enum)
                foreach (var allowed in cap.Values)
                    if (values.All(v => v.Key != allowed)) problems.Add($"{where}: 'values' has no entry for '{allowed}'");
            var room = c.TryGetProperty("room", out var r) && r.ValueKind == JsonValueKind.True;
            caps.Add(new GreeCapabilityMap(cap, col.GetString()!, values, room));
        }
        return new GreeMapping { Capabilities = caps };
    }
}
