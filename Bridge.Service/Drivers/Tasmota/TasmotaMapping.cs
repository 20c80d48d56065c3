using System.Collections.Concurrent;
using System.Text.Json;
using Bridge.Protocols.Model;

namespace Bridge.Service.Drivers.Tasmota;

/// <summary>How one capability maps onto Tasmota: the command that sets it, where reports carry it,
/// and how values translate. Read from the profile's "tasmota" section.</summary>
public sealed class TasmotaCapabilityMap
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

public sealed class TasmotaMapping
{
    private static readonly ConcurrentDictionary<DeviceProfile, TasmotaMapping> Cache = new();

    public required IReadOnlyList<TasmotaCapabilityMap> Capabilities { get; init; }
    public IReadOnlyDictionary<string, JsonElement> CommandDefaults { get; init; } = new Dictionary<string, JsonElement>();

    public TasmotaCapabilityMap? Find(string capability)
    {
        foreach (var c in Capabilities)
            if (c.Capability.Name == capability) return c;
        return null;
    }

    public static TasmotaMapping For(DeviceProfile profile) =>
        Cache.GetOrAdd(profile, p => Parse(p, new List<string>()));

    public static TasmotaMapping Parse(DeviceProfile profile, List<string> problems)
    {
        var caps = new List<TasmotaCapabilityMap>();
        var defaults = new Dictionary<string, JsonElement>(StringComparer.OrdinalIgnoreCase);
        var m = profile.Mapping;
        if (m.ValueKind != JsonValueKind.Object)
        {
            problems.Add($"profile '{profile.Id}': the 'tasmota' mapping section is missing");
            return new TasmotaMapping { Capabilities = caps };
        }
        if (m.TryGetProperty("commandDefaults", out var d) && d.ValueKind == JsonValueKind.Object)
            foreach (var p in d.EnumerateObject()) defaults[p.Name] = p.Value.Clone();

        foreach (var cap in profile.Capabilities)
        {
            var where = $"profile '{profile.Id}', tasmota mapping of '{cap.Name}'";
            if (!m.TryGetProperty(cap.Name, out var c) || c.ValueKind != JsonValueKind.Object)
            {
                problems.Add($"{where}: missing");
                continue;
            }
            var command = Str(c, "command");
            var sensor = Str(c, "sensor");
            var key = Str(c, "key");
            if (command is null && sensor is null) problems.Add($"{where}: needs 'command' or 'sensor'");
            if (command is not null && key is null) problems.Add($"{where}: needs 'key' (where reports carry the value)");
            if (command is null && !cap.ReadOnly) problems.Add($"{where}: a writable capability needs 'command'");
            var to = new Dictionary<string, string>(StringComparer.Ordinal);
            var from = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
            if (c.TryGetProperty("values", out var values) && values.ValueKind == JsonValueKind.Object)
            {
                foreach (var v in values.EnumerateObject())
                {
                    var deviceValue = v.Value.ValueKind == JsonValueKind.String ? v.Value.GetString()! : v.Value.GetRawText();
                    to[v.Name] = deviceValue;
                    from[deviceValue] = v.Name;
                }
                foreach (var allowed in cap.Values)
                    if (!to.ContainsKey(allowed)) problems.Add($"{where}: 'values' has no entry for '{allowed}'");
            }
            caps.Add(new TasmotaCapabilityMap
            {
                Capability = cap,
                Command = command,
                Field = Str(c, "field"),
                KeyPath = key?.Split('.') ?? [],
                SensorKey = sensor,
                ToDevice = to,
                FromDevice = from,
                Mired = Str(c, "convert") == "mired",
            });
        }
        return new TasmotaMapping { Capabilities = caps, CommandDefaults = defaults };
    }

    private static string? Str(JsonElement e, string name) =>
        e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;
}
