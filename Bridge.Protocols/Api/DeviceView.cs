using Bridge.Protocols.Model;

namespace Bridge.Protocols.Api;

/// <summary>A consistent snapshot of one device as the API shows it.</summary>
public sealed record DeviceView(
    string Id,
    string Name,
    string Kind,
    string Protocol,
    bool Online,
    IReadOnlyList<Capability> Capabilities,
    IReadOnlyList<KeyValuePair<string, StateValue>> State,
    string? Room = null);
