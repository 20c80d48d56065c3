using System.Text.Json;
using Bridge.Protocols.Gree;
using Bridge.Protocols.Model;
using Bridge.Service.Drivers.Mapping;
using static Bridge.Service.Drivers.Mapping.MappingSection;

namespace Bridge.Service.Drivers.Gree;

/// <summary>How one capability maps onto a Gree column (PROTOCOLS.md §10.3): enum names ⇄ the
/// column's integers (<c>values</c>), a number as it is (SetTem in °C), or the room temperature
/// (<c>"room": true</c>: TemSen with its offset of 40).</summary>
public sealed record GreeCapabilityMap(Capability Capability, string Column, IReadOnlyList<KeyValuePair<string, int>> Values, bool Room) : ICapabilityMap
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
    public required IReadOnlyList<GreeCapabilityMap> Capabilities { get; init; }

    /// <summary>The columns a status poll asks for.</summary>
    public IReadOnlyList<string> Columns => _columns ??= Capabilities.Select(c => c.Column).Distinct().ToArray();
    private IReadOnlyList<string>? _columns;

    public GreeCapabilityMap? Find(string capability) => Capabilities.Find(capability);

    public static GreeMapping For(DeviceProfile profile) => MappingCache<GreeMapping>.For(profile, Parse);

    /// <summary>Capability values from columns and their values (a <c>dat</c> or a <c>res</c>); columns
    /// the profile does not map, and values that fit no capability value, are left out.</summary>
    public void Read(IReadOnlyList<string> columns, IReadOnlyList<int> values, string? firmware, List<KeyValuePair<string, StateValue>> into)
    {
        for (var i = 0; i < columns.Count && i < values.Count; i++)
            foreach (var map in Capabilities)
                if (map.Column == columns[i] && map.FromDevice(values[i], firmware) is { } v) into.Add(new(map.Capability.Name, v));
    }

    public static GreeMapping Parse(DeviceProfile profile, List<string> problems) =>
        new() { Capabilities = ReadCapabilities(profile, GreeDevices.Protocol, problems, (cap, c, where) =>
        {
            if (Str(c, "col") is not { Length: > 0 } column)
            {
                problems.Add($"{where}: needs 'col' (the Gree column, e.g. \"Pow\")");
                return null;
            }
            var values = new List<KeyValuePair<string, int>>();
            foreach (var v in Values(c))
            {
                if (v.Value.ValueKind == JsonValueKind.Number && v.Value.TryGetInt32(out var n)) values.Add(new(v.Name, n));
                else problems.Add($"{where}: the value of '{v.Name}' must be an integer");
            }
            if (cap.Type == CapabilityType.Enum) RequireEveryValue(cap, allowed => values.Any(v => v.Key == allowed), where, problems);
            return new GreeCapabilityMap(cap, column, values, c.TryGetProperty("room", out var r) && r.ValueKind == JsonValueKind.True);
        }, "needs an object with 'col' (the Gree column, e.g. \"Pow\")") };
}
