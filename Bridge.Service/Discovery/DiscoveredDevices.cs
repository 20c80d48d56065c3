using System.Net;
using Bridge.Protocols.Dns;
using Bridge.Service.Devices;

namespace Bridge.Service.Discovery;

/// <summary>A device found on the LAN by its own announcement, and the bridge's interface it was
/// heard on (the one whose address the device can reach back; null when not known).
/// <see cref="Address"/> is the one to use (IPv4 when the device has one); <see cref="Addresses"/>
/// all it announced, IPv4 first.</summary>
public sealed record DiscoveredDevice(string Id, string Protocol, IPAddress Address, int Port, string Name, string Source)
{
    public LanInterface? Interface { get; init; }
    public IReadOnlyList<IPAddress> Addresses { get; init; } = [Address];
}

/// <summary>Devices found by mDNS, keyed by their stable id (never by address): a device that
/// moves is updated, one seen under several service types (Shelly: <c>_shelly</c> and
/// <c>_http</c>) is one entry. It is dropped, and logged once, when its last instance is gone
/// (goodbye or TTL expiry).</summary>
public sealed class DiscoveredDevices(DeviceRegistry registry, MdnsMatchers matchers, ILogger<DiscoveredDevices> log)
{
    private sealed class Entry(DiscoveredDevice device)
    {
        public DiscoveredDevice Device = device;
        /// <summary>The instances announcing it, and whether each is under the protocol's own service type.</summary>
        public readonly Dictionary<DnsName, bool> Instances = [];
    }

    private readonly Dictionary<string, Entry> _byId = new(StringComparer.Ordinal);
    private readonly Lock _sync = new();

    /// <summary>Raised after a device was found, moved or lost.</summary>
    public event Action<DiscoveredDevice, bool>? Changed;

    /// <summary>An instance resolved: <paramref name="addresses"/> IPv4 before IPv6, each newest first
    /// (after a move the new one).</summary>
    public void Found(DnsName serviceType, DnsName instance, SrvData srv, TxtData txt, IReadOnlyList<IPAddress> addresses, LanInterface? via = null)
    {
        if (addresses.Count == 0) return;
        var identity = matchers.Identify(serviceType, instance.Labels[0], txt.ToDictionary());
        if (identity is not { } id) return;
        // An own service type (_shelly) names the protocol's own port; _http may be the same device's web UI.
        var found = new DiscoveredDevice(id.Id, id.Protocol, addresses[0], srv.Port, instance.Labels[0], "mdns") { Interface = via, Addresses = addresses.ToArray() };
        bool added, moved;
        lock (_sync)
        {
            added = !_byId.TryGetValue(id.Id, out var entry);
            // A device with several addresses keeps the one it has while that is still announced: no flapping.
            // Unless it has IPv6 and an IPv4 address appeared: IPv4 is preferred (the bridge's sockets are IPv4).
            if (!added && addresses.Contains(entry!.Device.Address) && entry.Device.Address.AddressFamily == addresses[0].AddressFamily)
                found = found with { Address = entry.Device.Address };
            if (added) _byId[id.Id] = entry = new Entry(found);
            var preferred = id.OwnService || entry!.Instances.Values.All(own => !own);
            moved = !added && !entry!.Device.Address.Equals(found.Address);
            if (preferred) entry!.Device = found;
            else entry!.Device = entry.Device with { Address = found.Address, Addresses = found.Addresses, Interface = found.Interface ?? entry.Device.Interface };
            entry!.Instances[instance] = id.OwnService;
            found = entry.Device;
        }
        if (added) log.LogInformation("Found {Protocol} device {DeviceId} at {Address}:{Port} by mDNS", found.Protocol, found.Id, found.Address, found.Port);
        else if (moved) log.LogInformation("Device {DeviceId} moved to {Address}", found.Id, found.Address);
        if (added || moved) Changed?.Invoke(found, true);
    }

    /// <summary>A device found by its own protocol's search (Yeelight), not by mDNS: keyed the same way.</summary>
    public void Found(DiscoveredDevice found)
    {
        bool added, moved;
        lock (_sync)
        {
            added = !_byId.TryGetValue(found.Id, out var entry);
            moved = !added && (!entry!.Device.Address.Equals(found.Address) || entry.Device.Port != found.Port);
            if (added) _byId[found.Id] = new Entry(found);
            else entry!.Device = found;
        }
        if (added) log.LogInformation("Found {Protocol} device {DeviceId} at {Address}:{Port} (source: {Source})", found.Protocol, found.Id, found.Address, found.Port, found.Source);
        else if (moved) log.LogInformation("Device {DeviceId} moved to {Address}:{Port}", found.Id, found.Address, found.Port);
        if (added || moved) Changed?.Invoke(found, true);
    }

    public void Lost(DnsName instance)
    {
        DiscoveredDevice? gone = null;
        lock (_sync)
        {
            foreach (var (id, entry) in _byId)
            {
                if (!entry.Instances.Remove(instance) || entry.Instances.Count > 0) continue;
                _byId.Remove(id);
                gone = entry.Device;
                break;
            }
        }
        if (gone is null) return;
        log.LogInformation("{Protocol} device {DeviceId} is no longer announced", gone.Protocol, gone.Id);
        Changed?.Invoke(gone, false);
    }

    /// <summary>The device with this id, as last announced; null when none is (or no longer).</summary>
    public DiscoveredDevice? Find(string id)
    {
        lock (_sync) return _byId.TryGetValue(id, out var entry) ? entry.Device : null;
    }

    public IReadOnlyList<(DiscoveredDevice Device, bool Adopted)> List()
    {
        DiscoveredDevice[] all;
        lock (_sync) all = _byId.Values.Select(e => e.Device).OrderBy(d => d.Id, StringComparer.Ordinal).ToArray();
        return all.Select(d => (d, registry.TryGet(d.Id, out _))).ToArray();
    }
}
