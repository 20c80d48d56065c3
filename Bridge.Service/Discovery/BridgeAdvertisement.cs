using System.Net;
using Bridge.Protocols.Dns;
using Bridge.Service.Api;

namespace Bridge.Service.Discovery;

/// <summary>The bridge's DNS-SD records as CONTRACT.md fixes them: instance
/// <c>DeviceBridge-&lt;id&gt;</c> of <c>_devicebridge._tcp.local.</c>, SRV to the API's port, TXT
/// <c>id</c>, <c>path</c>, <c>v</c>. The host name is ours alone (<c>devicebridge-&lt;id&gt;.local.</c>),
/// not the machine's, which Avahi may already own. A conflict renames both (RFC 6762 §9).</summary>
public sealed class BridgeAdvertisement
{
    public const uint HostTtl = 120;
    public const uint OtherTtl = 4500;

    public static readonly DnsName ServiceType = DnsName.Parse("_devicebridge._tcp.local");
    public static readonly DnsName ServiceEnumeration = DnsName.Parse("_services._dns-sd._udp.local");
    private static readonly DnsName Local = DnsName.Parse("local");

    public BridgeAdvertisement(string bridgeId, int port, int attempt = 1)
    {
        BridgeId = bridgeId;
        Port = port;
        Attempt = attempt;
        var suffix = attempt == 1 ? "" : $" ({attempt})";
        Instance = ServiceType.Prepend($"DeviceBridge-{bridgeId}{suffix}");
        Host = Local.Prepend(attempt == 1 ? $"devicebridge-{bridgeId}" : $"devicebridge-{bridgeId}-{attempt}");
    }

    public string BridgeId { get; }
    public int Port { get; }
    public int Attempt { get; }
    public DnsName Instance { get; }
    public DnsName Host { get; }

    /// <summary>The next name to try after a conflict: "DeviceBridge-id (2)", "(3)", ...</summary>
    public BridgeAdvertisement Renamed() => new(BridgeId, Port, Attempt + 1);

    /// <summary>Every record we own, with the A records of the interface they are sent on.</summary>
    public IReadOnlyList<DnsRecord> Records(IReadOnlyList<IPAddress> addresses)
    {
        var records = new List<DnsRecord>
        {
            new(ServiceType, DnsType.Ptr, OtherTtl, new PtrData(Instance)),
            new(ServiceEnumeration, DnsType.Ptr, OtherTtl, new PtrData(ServiceType)),
        };
        records.AddRange(Unique(addresses));
        return records;
    }

    /// <summary>The records only we may hold (probed, sent with the cache-flush bit).</summary>
    public IReadOnlyList<DnsRecord> Unique(IReadOnlyList<IPAddress> addresses)
    {
        var records = new List<DnsRecord>
        {
            new(Instance, DnsType.Srv, HostTtl, new SrvData(0, 0, (ushort)Port, Host), CacheFlush: true),
            new(Instance, DnsType.Txt, OtherTtl, TxtData.FromPairs(("id", BridgeId), ("path", ApiOptions.Path), ("v", "1")), CacheFlush: true),
        };
        foreach (var a in addresses) records.Add(new DnsRecord(Host, DnsType.A, HostTtl, new AddressData(a), CacheFlush: true));
        return records;
    }

    public bool OwnsName(DnsName name) => name == Instance || name == Host;
}
