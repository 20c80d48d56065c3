using System.Net;
using System.Net.NetworkInformation;
using System.Net.Sockets;

namespace Bridge.Service.Discovery;

/// <summary>One network interface the bridge serves: its index (to join groups and pick the
/// outgoing interface), its IPv4 addresses (for A records and beacon replies).</summary>
public sealed record LanInterface(int Index, string Name, IReadOnlyList<IPAddress> Addresses, bool Multicast, bool Loopback)
{
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
            var index = props.GetIPv4Properties()?.Index ?? -1;
            if (index < 0) return null;
            var addresses = props.UnicastAddresses.Select(u => u.Address).Where(a => a.AddressFamily == AddressFamily.InterNetwork).ToArray();
            return new LanInterface(index, n.Name, addresses, n.SupportsMulticast, n.NetworkInterfaceType == NetworkInterfaceType.Loopback);
        }
        catch (NetworkInformationException)
        {
            return null;
        }
    }
}
