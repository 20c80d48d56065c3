using System.Net;
using System.Net.NetworkInformation;
using System.Net.Sockets;
using Bridge.Protocols.Dns;

namespace Bridge.Service.Discovery;

/// <summary>One network interface the bridge serves: its index (to join groups and pick the
/// outgoing interface), its IPv4 addresses (for A records and beacon replies).</summary>
public sealed record LanInterface(int Index, string Name, IReadOnlyList<IPAddress> Addresses, bool Multicast, bool Loopback)
{
    /// <summary>The directed broadcast address of each IPv4 subnet here (on loopback 127.255.255.255,
    /// which Linux delivers to every socket on the port and never sends out).</summary>
    public IReadOnlyList<IPAddress> Broadcasts { get; init; } = [];

    /// <summary>The interface's IPv4 MTU (Ethernet's 1500 when not known).</summary>
    public int Mtu { get; init; } = 1500;

    /// <summary>The largest mDNS message to send here: the MTU, but never over RFC 6762 §17's 9000 bytes
    /// (which is also what our receive buffer holds), less the IPv4 and UDP headers.</summary>
    public int MdnsMessageLimit => Math.Min(Mtu, DnsConstants.MaxMessageLength) - DnsConstants.IPv4UdpHeaderLength;

    /// <summary>The interfaces to serve: the configured ones, else those where the API listens.
    /// Down interfaces and those without IPv4 are skipped.</summary>
    public static IReadOnlyList<LanInterface> Select(DiscoveryOptions options, string apiBind, List<string> unknown)
    {
        var all = NetworkInterface.GetAllNetworkInterfaces()
            .Where(n => n.OperationalStatus is OperationalStatus.Up or OperationalStatus.Unknown && n.Supports(NetworkInterfaceComponent.IPv4))
            .Select(From)
            .Where(i => i is not null && i.Addresses.Count > 0)
            .Select(i => i!)
            .ToArray();
        if (options.Interfaces.Count > 0)
        {
            var chosen = new List<LanInterface>();
            foreach (var wanted in options.Interfaces)
            {
                var match = all.FirstOrDefault(i => i.Name == wanted || (IPAddress.TryParse(wanted, out var a) && i.Addresses.Contains(a)));
                if (match is null) unknown.Add(wanted);
                else if (!chosen.Contains(match)) chosen.Add(match);
            }
            return chosen;
        }
        var bind = IPAddress.Parse(apiBind);
        if (bind.Equals(IPAddress.Any) || bind.Equals(IPAddress.IPv6Any)) return all.Where(i => !i.Loopback).ToArray();
        if (IPAddress.IsLoopback(bind)) return all.Where(i => i.Loopback).ToArray();
        return all.Where(i => i.Addresses.Contains(bind)).ToArray();
    }

    private static LanInterface? From(NetworkInterface n)
    {
        try
        {
            var props = n.GetIPProperties();
            var ipv4 = props.GetIPv4Properties();
            var index = ipv4?.Index ?? -1;
            if (index < 0) return null;
            var addresses = props.UnicastAddresses.Select(u => u.Address).Where(a => a.AddressFamily == AddressFamily.InterNetwork).ToArray();
            var loopback = n.NetworkInterfaceType == NetworkInterfaceType.Loopback;
            return new LanInterface(index, n.Name, addresses, n.SupportsMulticast, loopback)
            {
                Mtu = MtuOf(ipv4!),
                Broadcasts = props.UnicastAddresses.Where(u => u.Address.AddressFamily == AddressFamily.InterNetwork).Select(BroadcastOf).OfType<IPAddress>().Distinct().ToArray(),
            };
        }
        catch (NetworkInformationException)
        {
            return null;
        }
    }

    private static IPAddress? BroadcastOf(UnicastIPAddressInformation u)
    {
        // No broadcast on /31 and /32 links (RFC 3021).
        if (u.PrefixLength is <= 0 or >= 31) return null;
        var bytes = u.Address.GetAddressBytes();
        for (var i = 0; i < 4; i++) bytes[i] |= (byte)(0xFF >> Math.Clamp(u.PrefixLength - i * 8, 0, 8));
        return new IPAddress(bytes);
    }

    private static int MtuOf(IPv4InterfaceProperties ipv4)
    {
        try
        {
            return ipv4.Mtu > 0 ? ipv4.Mtu : 1500;
        }
        catch (Exception e) when (e is PlatformNotSupportedException or NetworkInformationException)
        {
            return 1500;
        }
    }
}
