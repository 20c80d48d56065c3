using System.Collections.Concurrent;
using Bridge.Protocols.Model;

namespace Bridge.Service.Devices;

/// <summary>Every known device, keyed by its stable id. The one place where state and
/// availability change, so events, pending commands and persistence all see the same truth.</summary>
public sealed class DeviceRegistry(IEnumerable<IDeviceEvents> listeners, ILogger<DeviceRegistry> log, IDeviceLabels? labels = null)
{
    private readonly ConcurrentDictionary<string, Device> _devices = new(StringComparer.Ordinal);
    private readonly IDeviceEvents[] _listeners = listeners.ToArray();

    /// <summary>Raised after anything worth persisting changed.</summary>
    public event Action? Changed;

    /// <summary>Raised after a device went online or offline.</summary>
    public event Action<Device, bool>? AvailabilityChanged;

    public bool TryGet(string id, out Device device) => _devices.TryGetValue(id, out device!);

    public IReadOnlyList<Device> All() => _devices.Values.OrderBy(d => d.Id, StringComparer.Ordinal).ToArray();

    public int Count => _devices.Count;

    /// <summary>Adds a device, or updates the name, profile and addressing of one already known.</summary>
    public Device AddOrUpdate(string id, string name, DeviceProfile profile, IReadOnlyDictionary<string, string> binding)
    {
        // The household's name wins over the one the device announces (docs/protocol.md, update).
        string? room = null;
        if (labels is not null && labels.TryGet(id, out var label)) (name, room) = (label.Name ?? name, label.Room);
        if (_devices.TryGetValue(id, out var existing))
        {
            bool changed;
            lock (existing.Sync)
            {
                changed = existing.Name != name || existing.Room != room || existing.Profile != profile || !SameBinding(existing.Binding, binding);
                existing.Name = name;
                existing.Room = room;
                existing.Profile = profile;
                existing.Binding = binding;
            }
            if (changed)
            {
                log.LogInformation("Device {DeviceId} updated ({Protocol}, profile {Profile})", id, profile.Driver, profile.Id);
                Changed?.Invoke();
            }
            return existing;
        }
        var device = new Device(id, name, profile, binding) { Room = room };
        if (!_devices.TryAdd(id, device)) return AddOrUpdate(id, name, profile, binding);
        log.LogInformation("Device {DeviceId} added: {Name} ({Kind}, {Protocol}, profile {Profile})", id, name, profile.Kind, profile.Driver, profile.Id);
        foreach (var l in _listeners) l.Added(device);
        Changed?.Invoke();
        return device;
    }

    /// <summary>Restores a device saved earlier: known, offline until it reappears.</summary>
    public void Restore(Device device)
    {
        if (labels is not null && labels.TryGet(device.Id, out var label))
            lock (device.Sync) (device.Name, device.Room) = (label.Name ?? device.Name, label.Room);
        if (_devices.TryAdd(device.Id, device))
            log.LogInformation("Device {DeviceId} restored from disk, offline until it reports", device.Id);
    }

    /// <summary>Applies a new household name and room to a known device; false when it is unknown.</summary>
    public bool Relabel(string id, string name, string? room)
    {
        if (!_devices.TryGetValue(id, out var device)) return false;
        lock (device.Sync) (device.Name, device.Room) = (name, room);
        Changed?.Invoke();
        return true;
    }

    public bool Remove(string id)
    {
        if (!_devices.TryRemove(id, out var device)) return false;
        IPendingCommands? pending;
        lock (device.Sync)
        {
            pending = device.Pending;
            pending?.DeviceGoneLocked();
        }
        pending?.Release();
        foreach (var l in _listeners) l.Removed(device);
        Changed?.Invoke();
        return true;
    }

    /// <summary>Applies what the device itself reported. Emits a state event when something changed
    /// and lets a pending command see the report.</summary>
    public void ApplyReport(Device device, ReadOnlySpan<KeyValuePair<string, StateValue>> report)
    {
        if (report.IsEmpty) return;
        KeyValuePair<string, StateValue>[]? changedState = null;
        IPendingCommands? pending;
        lock (device.Sync)
        {
            var state = device.MutableState;
            var changed = false;
            foreach (var (name, value) in report)
            {
                if (!state.TryGetValue(name, out var old) || old != value)
                {
                    state[name] = value;
                    changed = true;
                }
            }
            if (changed) changedState = device.SnapshotLocked();
            pending = device.Pending;
            pending?.ObserveLocked(report);
        }
        pending?.Release();
        if (changedState is not null)
        {
            foreach (var l in _listeners) l.StateChanged(device, changedState);
            Changed?.Invoke();
        }
    }

    /// <summary>Marks a device online or offline; logs and emits only on a change. <paramref name="reason"/>
    /// (offline only): why, in the installer's words, e.g. a LAN device whose key was rejected; commands
    /// to it fail with it, and it is logged once when it changes.</summary>
    public void SetOnline(Device device, bool online, string? reason = null)
    {
        IPendingCommands? failed;
        bool changed;
        lock (device.Sync)
        {
            var newReason = online ? null : reason;
            var reasonChanged = device.OfflineReason != newReason;
            device.OfflineReason = newReason;
            changed = device.Online != online;
            if (!changed && !(reasonChanged && newReason is not null)) return;
            device.Online = online;
            failed = online ? null : device.Pending;
            failed?.DeviceGoneLocked();
        }
        failed?.Release();
        if (online) log.LogInformation("Device {DeviceId} is online", device.Id);
        else if (reason is null) log.LogWarning("Device {DeviceId} went offline", device.Id);
        else log.LogWarning("Device {DeviceId} is offline: {Reason}", device.Id, reason);
        if (changed) foreach (var l in _listeners) l.OnlineChanged(device, online);
        // Also when only the reason changed: whoever waits on availability may want the why.
        AvailabilityChanged?.Invoke(device, online);
    }

    private static bool SameBinding(IReadOnlyDictionary<string, string> a, IReadOnlyDictionary<string, string> b)
    {
        if (a.Count != b.Count) return false;
        foreach (var (k, v) in a)
            if (!b.TryGetValue(k, out var w) || w != v) return false;
        return true;
    }
}
