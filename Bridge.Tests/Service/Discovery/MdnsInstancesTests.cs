using Bridge.Service.Drivers.Shelly;
using System.Net;
using Bridge.Protocols.Dns;
using Bridge.Service.Devices;
using Bridge.Service.Discovery;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace Bridge.Tests.Service.Discovery;

/// <summary>Resolving an instance's addresses from A and AAAA records alone, on a fake clock.</summary>
public sealed class MdnsInstancesTests
{
    private const string Id = "shellyplus1-a8032ab0bbbb";
    private static readonly DnsName Type = ShellyMdnsMatcher.ServiceType;
    private static readonly DnsName Instance = Type.Prepend(Id);
    private static readonly DnsName Host = DnsName.Parse("local").Prepend(Id);
    private static readonly IPAddress V4 = IPAddress.Parse("192.168.1.31");
    private static readonly IPAddress V6 = IPAddress.Parse("fd00::31");

    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 11, 23, 8, 0, 0, TimeSpan.Zero));
    private readonly MdnsCache _cache;

    public MdnsInstancesTests()
    {
        _cache = new MdnsCache(_time);
        _cache.Add(new DnsRecord(Instance, DnsType.Srv, 120, new SrvData(0, 0, 80, Host), CacheFlush: true));
        _cache.Add(new DnsRecord(Instance, DnsType.Txt, 4500, TxtData.FromPairs(("gen", "2")), CacheFlush: true));
    }

    private static DnsRecord Address(IPAddress address, uint ttl = 120) =>
        new(Host, address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork ? DnsType.A : DnsType.Aaaa, ttl, new AddressData(address), CacheFlush: true);

    private (bool Resolved, IPAddress[] Addresses, List<DnsQuestion> Missing) Resolve()
    {
        var missing = new List<DnsQuestion>();
        var resolved = MdnsInstances.TryResolve(_cache, Instance, missing, out _, out _, out _, out var addresses);
        return (resolved, addresses, missing);
    }

    [Fact]
    public void A_host_with_IPv4_and_IPv6_resolves_to_both_IPv4_first_whatever_came_first()
    {
        _cache.Add(Address(V6));
        _cache.Add(Address(V4));
        var (resolved, addresses, _) = Resolve();
        Assert.True(resolved);
        Assert.Equal([V4, V6], addresses);
    }

    [Fact]
    public void An_AAAA_only_host_resolves_to_its_IPv6_address()
    {
        _cache.Add(Address(V6));
        var (resolved, addresses, missing) = Resolve();
        Assert.True(resolved);
        Assert.Equal([V6], addresses);
        Assert.Empty(missing);
    }

    [Fact]
    public void A_host_with_no_address_yet_is_asked_for_A_and_AAAA_together()
    {
        var (resolved, _, missing) = Resolve();
        Assert.False(resolved);
        Assert.Equal([new DnsQuestion(Host, DnsType.A), new DnsQuestion(Host, DnsType.Aaaa)], missing);
    }

    [Fact]
    public void A_new_AAAA_with_cache_flush_replaces_the_old_IPv6_a_second_later_and_leaves_IPv4_alone()
    {
        _cache.Add(Address(V4));
        _cache.Add(Address(V6));
        _time.Advance(TimeSpan.FromSeconds(30));
        var moved = IPAddress.Parse("fd00::32");
        _cache.Add(Address(moved));
        Assert.Equal([V4, moved, V6], Resolve().Addresses);
        _time.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal([V4, moved], Resolve().Addresses);
    }

    [Fact]
    public void An_AAAA_goodbye_or_expiry_leaves_the_host_with_what_remains()
    {
        _cache.Add(Address(V4, ttl: 60));
        _cache.Add(Address(V6));
        _cache.Add(Address(V6, ttl: 0));
        _time.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal([V4], Resolve().Addresses);
        _cache.Add(Address(V6));
        _time.Advance(TimeSpan.FromSeconds(60));
        Assert.Equal([V6], Resolve().Addresses);
    }

    [Fact]
    public void The_discovered_address_is_IPv4_once_the_device_has_one_and_all_addresses_are_listed()
    {
        var devices = new DiscoveredDevices(new DeviceRegistry([], NullLogger<DeviceRegistry>.Instance), new MdnsMatchers([new ShellyMdnsMatcher()]), NullLogger<DiscoveredDevices>.Instance);
        _cache.Add(Address(V6));
        Found(devices);
        Assert.Equal(V6, devices.Find(Id)!.Address);

        _cache.Add(Address(V4));
        Found(devices);
        var device = devices.Find(Id)!;
        Assert.Equal(V4, device.Address);
        Assert.Equal([V4, V6], device.Addresses);
    }

    private void Found(DiscoveredDevices devices)
    {
        Assert.True(MdnsInstances.TryResolve(_cache, Instance, [], out var srv, out var txt, out _, out var addresses));
        devices.Found(Type, Instance, srv, txt, addresses);
    }
}
