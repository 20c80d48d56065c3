using Bridge.Protocols.Api;
using Bridge.Protocols.Model;

namespace Bridge.Service.Devices;

/// <summary>One known device: identity, profile, how its driver reaches it, availability and
/// last confirmed state. State changes happen under <see cref="Sync"/>.</summary>
public sealed class Device
{
    private readonly Dictionary<string, StateValue> _state = new(StringComparer.Ordinal);

    public Device(string id, string name, DeviceProfile profile, IReadOnlyDictionary<string, string> binding)
    {
        Id = id;
        Name = name;
        Profile = profile;
        Binding = binding;
    }

    public string Id { get; }
    public string Name { get; internal set; }
    /// <summary>The household's room for it (set by <c>update</c>), or null.</summary>
    public string? Room { get; internal set; }
    public DeviceProfile Profile { get; internal set; }
    public string Protocol => Profile.Driver;
    /// <summary>Driver-specific addressing (topic, prefix, ...), persisted with the device.</summary>
    public IReadOnlyDictionary<string, string> Binding { get; internal set; }
    public bool Online { get; internal set; }
    /// <summary>Why it is offline, when its driver knows (e.g. its key was rejected); null when online.</summary>
    public string? OfflineReason { get; internal set; }

    internal object Sync { get; } = new();
    /// <summary>The commands waiting for this device, created by the command path on first use;
    /// set and read under <see cref="Sync"/>.</summary>
    internal IPendingCommands? Pending { get; set; }
    internal Dictionary<string, StateValue> MutableState => _state;

    public bool TryGetState(string capability, out StateValue value)
    {
        lock (Sync) return _state.TryGetValue(capability, out value);
    }

    public KeyValuePair<string, StateValue>[] StateSnapshot()
    {
        lock (Sync) return SnapshotLocked();
    }

    internal KeyValuePair<string, StateValue>[] SnapshotLocked()
    {
        // In profile order, so clients see a stable key order.
        var snapshot = new KeyValuePair<string, StateValue>[_state.Count];
        var n = 0;
        foreach (var cap in Profile.Capabilities)
            if (_state.TryGetValue(cap.Name, out var v)) snapshot[n++] = new(cap.Name, v);
        return n == snapshot.Length ? snapshot : snapshot[..n];
    }

    public DeviceView View()
    {
        lock (Sync) return new DeviceView(Id, Name, Profile.Kind, Protocol, Online, Profile.Capabilities, SnapshotLocked(), Room);
    }
}
