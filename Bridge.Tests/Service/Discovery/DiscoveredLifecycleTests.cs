using Bridge.Service.Drivers.Shelly;
using System.Net;
using Bridge.Protocols.Dns;
using Bridge.Service.Devices;
using Bridge.Service.Discovery;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace Bridge.Tests.Service.Discovery;

/// <summary>A discovered device's life as the querier drives it (cache → resolve → found; expiry → lost),
/// on a fake clock: keyed by id, a move updates the entry once, a goodbye or TTL expiry drops it once.</summary>
public sealed class DiscoveredLifecycleTests
{
    private const string Id = "shellyplus1-a8032ab0aaaa";
    private static readonly DnsName Type = ShellyMdnsMatcher.ServiceType;
    private static readonly DnsName Instance = Type.Prepend(Id);
    private static readonly DnsName Host = DnsName.Parse("local").Prepend(Id);

    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 11, 23, 8, 0, 0, TimeSpan.Zero));
    private readonly MdnsCache _cache;
    private readonly DiscoveredDevices _devices = new(new DeviceRegistry([], NullLogger<DeviceRegistry>.Instance), new MdnsMatchers([new ShellyMdnsMatcher()]), NullLogger<DiscoveredDevices>.Instance);
    private readonly List<(DiscoveredDevice Device, bool Present)> _changes = [];

    public DiscoveredLifecycleTests()
    {
        _cache = new MdnsCache(_time);
        _devices.Changed += (d, present) => _changes.Add((d, present));
    }

    [Fact]
    public void A_device_that_moves_keeps_one_entry_and_its_new_address_once_the_old_one_is_flushed()
    {
        Receive(Announcement(IPAddress.Parse("127.0.0.2")));
        _time.Advance(TimeSpan.FromSeconds(30));

        Receive(Announcement(IPAddress.Parse("127.0.0.3")));
        Assert.Equal(IPAddress.Parse("127.0.0.2"), _devices.Find(Id)!.Address); // the old one lives one more second (RFC 6762 §10.2)
        _time.Advance(TimeSpan.FromSeconds(1.5));
        Tick();

        var entry = Assert.Single(_devices.List()).Device;
        Assert.Equal(IPAddress.Parse("127.0.0.3"), entry.Address);
        Assert.Equal([true, true], _changes.Select(c => c.Present));
        Assert.Equal(IPAddress.Parse("127.0.0.3"), _changes[^1].Device.Address);
    }

    [Fact]
    public void A_goodbye_drops_the_device_once_a_second_later()
    {
        Receive(Announcement(IPAddress.Parse("127.0.0.2")));
        _time.Advance(TimeSpan.FromSeconds(10));

        Receive(Announcement(IPAddress.Parse("127.0.0.2")).Select(r => r.WithTtl(0)).ToArray());
        Tick();
        Assert.NotNull(_devices.Find(Id));
        _time.Advance(TimeSpan.FromSeconds(1));
        Tick();
        _time.Advance(TimeSpan.FromHours(2));
        Tick();

        Assert.Null(_devices.Find(Id));
        Assert.Equal([true, false], _changes.Select(c => c.Present));
    }

    [Fact]
    public void A_device_that_falls_silent_is_dropped_once_when_its_SRV_expires_not_75_minutes_later()
    {
        Receive(Announcement(IPAddress.Parse("127.0.0.2")));

        _time.Advance(TimeSpan.FromSeconds(119));
        Tick();
        Assert.NotNull(_devices.Find(Id));
        _time.Advance(TimeSpan.FromSeconds(2));
        Tick();
        Assert.Null(_devices.Find(Id));
        _time.Advance(TimeSpan.FromHours(2)); // the PTR (4500 s) expires too: no second loss
        Tick();

        Assert.Equal([true, false], _changes.Select(c => c.Present));
    }

    private static DnsRecord[] Announcement(IPAddress address) =>
    [
        new DnsRecord(Type, DnsType.Ptr, 4500, new PtrData(Instance)),
        new DnsRecord(Instance, DnsType.Srv, 120, new SrvData(0, 0, 80, Host), CacheFlush: true),
        new DnsRecord(Instance, DnsType.Txt, 4500, TxtData.FromPairs(("gen", "2")), CacheFlush: true),
        new DnsRecord(Host, DnsType.A, 120, new AddressData(address), CacheFlush: true),
    ];

    /// <summary>What the querier does with a response: cache it, then resolve.</summary>
    private void Receive(DnsRecord[] records)
    {
        foreach (var r in records) _cache.Add(r);
        Resolve();
    }

    /// <summary>What the querier does when a deadline passes: drop expired records, report losses, resolve what remains.</summary>
    private void Tick()
    {
        var expired = _cache.RemoveExpired();
        foreach (var instance in MdnsInstances.Lost(expired, _cache, [ShellyMdnsMatcher.ServiceType, MdnsServiceTypes.Http])) _devices.Lost(instance);
        if (expired.Count > 0) Resolve();
    }

    private void Resolve()
    {
        foreach (var ptr in _cache.Get(Type, DnsType.Ptr))
            if (MdnsInstances.TryResolve(_cache, ((PtrData)ptr.Data).Target, [], out var srv, out var txt, out _, out var addresses))
                _devices.Found(Type, ((PtrData)ptr.Data).Target, srv, txt, addresses);
    }
}
