namespace Bridge.Service.Discovery;

/// <summary><c>Discovery:*</c>: being found on the LAN (mDNS, the UDP beacon) and finding devices.</summary>
public sealed class DiscoveryOptions
{
    public const string Section = "Discovery";

    public bool Enabled { get; set; } = true;

    /// <summary>Interface names (<c>eth0</c>) or IPv4 addresses to announce and answer on. Empty:
    /// where the local API listens — every interface for <c>Api:Bind=0.0.0.0</c>, loopback only
    /// for a loopback bind (so the demo and tests never reach a real network).</summary>
    public List<string> Interfaces { get; set; } = [];

    /// <summary>UDP port of the beacon for clients that cannot browse mDNS (iOS WeChat). 8971:
    /// ≥1024 and outside WeChat's forbidden list; 0 picks a free one (tests).</summary>
    public int BeaconPort { get; set; } = 8971;

    /// <summary>mDNS's port; only tests change it.</summary>
    public int MdnsPort { get; set; } = Protocols.Dns.DnsConstants.MdnsPort;

    public IEnumerable<string> Validate()
    {
        if (BeaconPort is < 0 or > 65535) yield return $"Discovery:BeaconPort must be 0..65535, not {BeaconPort}";
        else if (BeaconPort is > 0 and < 1024) yield return $"Discovery:BeaconPort must be at least 1024 (WeChat refuses lower ports), not {BeaconPort}";
        if (MdnsPort is < 1 or > 65535) yield return $"Discovery:MdnsPort must be 1..65535, not {MdnsPort}";
        foreach (var i in Interfaces)
            if (string.IsNullOrWhiteSpace(i)) yield return "Discovery:Interfaces has an empty entry";
    }
}
