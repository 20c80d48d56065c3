using System.Text.Json;
using Bridge.Protocols.Model;
using Bridge.Service.Drivers.Mapping;
using static Bridge.Service.Drivers.Mapping.MappingSection;

namespace Bridge.Service.Drivers.Shelly;

/// <summary>How one capability maps onto a Shelly component: where status carries it and which
/// RPC method and parameter set it. Read from the profile's "shelly" section.</summary>
public sealed class ShellyCapabilityMap : ICapabilityMap
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

/// <summary>The profile's "shelly" section: a map per capability.</summary>
public sealed class ShellyMapping
{
    public required IReadOnlyList<ShellyCapabilityMap> Capabilities { get; init; }

    public ShellyCapabilityMap? Find(string capability) => Capabilities.Find(capability);

    public static ShellyMapping For(DeviceProfile profile) => MappingCache<ShellyMapping>.For(profile, Parse);

    public static ShellyMapping Parse(DeviceProfile profile, List<string> problems) => new()
    {
        Capabilities = MappingSection.ReadCapabilities(profile, ShellyDriver.DriverName, problems, (cap, c, where) =>
        {
            var component = Str(c, "component");
            var field = Str(c, "field");
            if (component is null || !component.Contains(':') || field is null)
            {
                problems.Add($"{where}: needs 'component' (e.g. switch:0) and 'field'");
                return null;
            }
            var method = Str(c, "method");
            var param = Str(c, "param");
            if (!cap.ReadOnly && (method is null || param is null)) problems.Add($"{where}: a writable capability needs 'method' and 'param'");
            var to = new Dictionary<string, JsonElement>(StringComparer.Ordinal);
            foreach (var v in Values(c)) to[v.Name] = v.Value.Clone();
            if (cap.Type == CapabilityType.Enum) RequireEveryValue(cap, to.ContainsKey, where, problems);
            return new ShellyCapabilityMap
            {
                Capability = cap, Component = component, Field = field, Method = method, Param = param, ToDevice = to,
            };
        }),
    };
}
