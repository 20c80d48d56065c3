using Bridge.Protocols.Dns;

namespace Bridge.Service.Discovery;

/// <summary>Which browsed instances are gone once records expired: the PTR that listed it (goodbye, or
/// 75 min unrefreshed), or its SRV with no other left (the device went silent: SRV lives 120 s, and the
/// querier's refresh queries at 80 % went unanswered). Pure: takes what the cache dropped.</summary>
public static class MdnsExpiry
{
    public static IReadOnlyList<DnsName> LostInstances(IReadOnlyList<DnsRecord> expired, MdnsCache cache, IReadOnlyList<DnsName> browsedTypes)
    {
        var lost = new List<DnsName>();
        foreach (var r in expired)
        {
            var instance = r.Data switch
            {
                PtrData ptr when browsedTypes.Contains(r.Name) => ptr.Target,
                SrvData when browsedTypes.Contains(r.Name.Parent) && cache.Get(r.Name, DnsType.Srv).Count == 0 => r.Name,
                _ => null,
            };
            if (instance is not null && !lost.Contains(instance)) lost.Add(instance);
        }
        return lost;
    }
}
