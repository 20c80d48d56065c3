using System.Text.Json;

namespace Bridge.Protocols.Model;

/// <summary>A device model family as data: its kind, its capabilities, the driver that speaks to it,
/// how discovery recognises it, and the driver's mapping (kept as JSON for the driver to read).</summary>
public sealed class DeviceProfile
{
    public required string Id { get; init; }
    public required string Kind { get; init; }
    public required string Driver { get; init; }
    public required IReadOnlyList<Capability> Capabilities { get; init; }
    public IReadOnlyDictionary<string, JsonElement> Match { get; init; } = new Dictionary<string, JsonElement>();
    public JsonElement Mapping { get; init; }
    public int Priority { get; init; }

    public Capability? Find(string name)
    {
        foreach (var c in Capabilities)
            if (string.Equals(c.Name, name, StringComparison.Ordinal)) return c;
        return null;
    }
}
