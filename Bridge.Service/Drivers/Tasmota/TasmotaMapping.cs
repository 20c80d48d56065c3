using System.Text.Json;
using Bridge.Protocols.Model;
using Bridge.Service.Drivers.Mapping;
using static Bridge.Service.Drivers.Mapping.MappingSection;

namespace Bridge.Service.Drivers.Tasmota;

/// <summary>How one capability maps onto Tasmota: the command that sets it, where reports carry it,
/// and how values translate. Read from the profile's "tasmota" section.</summary>
public sealed class TasmotaCapabilityMap : ICapabilityMap
{
    public required Capability Capability { get; init; }
    /// <summary>Command to publish (<c>cmnd/&lt;t&gt;/&lt;Command&gt;</c>); null for read-only sensor values.</summary>
    public string? Command { get; init; }
    /// <summary>For JSON-payload commands (IRHVAC): this capability's member in the payload.</summary>
    public string? Field { get; init; }
    /// <summary>Where reports carry the value, e.g. ["IRHVAC","Mode"].</summary>
    public string[] KeyPath { get; init; } = [];
    /// <summary>For sensor values: the member name inside any sensor object of tele/SENSOR.</summary>
    public string? SensorKey { get; init; }
    public IReadOnlyDictionary<string, string> ToDevice { get; init; } = new Dictionary<string, string>();
    public IReadOnlyDictionary<string, string> FromDevice { get; init; } = new Dictionary<string, string>();
    public bool Mired { get; init; }
}

/// <summary>The profile's "tasmota" section: a map per capability and the defaults JSON-payload
/// commands start from.</summary>
public sealed class TasmotaMapping
{
    public required IReadOnlyList<TasmotaCapabilityMap> Capabilities { get; init; }
    public IReadOnlyDictionary<string, JsonElement> CommandDefaults { get; init; } = new Dictionary<string, JsonElement>();

    public TasmotaCapabilityMap? Find(string capability) => Capabilities.Find(capability);

    public static TasmotaMapping For(DeviceProfile profile) => MappingCache<TasmotaMapping>.For(profile, Parse);

    public static TasmotaMapping Parse(DeviceProfile profile, List<string> problems)
    {
        var caps = MappingSection.ReadCapabilities(profile, TasmotaDriver.DriverName, problems, (cap, c, where) =>
        {
            var command = Str(c, "command");
            var sensor = Str(c, "sensor");
            var key = Str(c, "key");
            if (command is null && sensor is null) problems.Add($"{where}: needs 'command' or 'sensor'");
            if (command is not null && key is null) problems.Add($"{where}: needs 'key' (where reports carry the value)");
            if (command is null && !cap.ReadOnly) problems.Add($"{where}: a writable capability needs 'command'");
            var to = new Dictionary<string, string>(StringComparer.Ordinal);
            var from = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
            foreach (var v in Values(c))
            {
                var deviceValue = Text(v.Value);
                to[v.Name] = deviceValue;
                from[deviceValue] = v.Name;
            }
            if (HasValues(c)) RequireEveryValue(cap, to.ContainsKey, where, problems);
            return new TasmotaCapabilityMap
            {
                Capability = cap,
                Command = command,
                Field = Str(c, "field"),
                KeyPath = key?.Split('.') ?? [],
                SensorKey = sensor,
                ToDevice = to,
                FromDevice = from,
                Mired = Str(c, "convert") == "mired",
            };
        });
        var defaults = new Dictionary<string, JsonElement>(StringComparer.OrdinalIgnoreCase);
        if (profile.Mapping.ValueKind == JsonValueKind.Object && profile.Mapping.TryGetProperty("commandDefaults", out var d) && d.ValueKind == JsonValueKind.Object)
            foreach (var p in d.EnumerateObject()) defaults[p.Name] = p.Value.Clone();
        return new TasmotaMapping { Capabilities = caps, CommandDefaults = defaults };
    }
}
