using System.Net;
using Bridge.Protocols.Dns;

namespace Bridge.Service.Discovery;

/// <summary>Browsed DNS-SD instances as the cache shows them: resolved (SRV, TXT and the host's
/// addresses all present) or gone. Pure: reads the cache and what it dropped, sends nothing.</summary>
public static class MdnsInstances
{
    /// <summary>An instance whose SRV, TXT and host addresses are cached; else adds the questions that
    /// would complete it to <paramref name="missing"/>. <paramref name="addresses"/> lists IPv4 (A) before
    /// IPv6 (AAAA), each newest first: the bridge's sockets are IPv4, so an IPv4 address is the one to use
    /// when there is one; an AAAA-only host still resolves.</summary>
    public static bool TryResolve(MdnsCache cache, DnsName instance, List<DnsQuestion> missing, out SrvData srv, out TxtData txt, out DnsName host, out IPAddress[] addresses)
    {
        srv = null!;
        txt = null!;
        host = null!;
        addresses = [];
        var srvRecord = cache.Get(instance, DnsType.Srv).FirstOrDefault();
        var txtRecord = cache.Get(instance, DnsType.Txt).FirstOrDefault();
        if (srvRecord is null) missing.Add(new DnsQuestion(instance, DnsType.Srv));
        if (txtRecord is null) missing.Add(new DnsQuestion(instance, DnsType.Txt));
        if (srvRecord is null) return false;
        srv = (SrvData)srvRecord.Data;
        host = srv.Target;
        addresses = Addresses(cache, host);
        if (addresses.Length == 0)
        {
            // Both in one query: whichever families the host has come back in one answer.
            missing.Add(new DnsQuestion(host, DnsType.A));
            missing.Add(new DnsQuestion(host, DnsType.Aaaa));
            return false;
        }
        if (txtRecord is null) return false;
        txt = (TxtData)txtRecord.Data;
        return true;
    }

    /// <summary>A host's cached addresses: A records, then AAAA records, each newest first.</summary>
    public static IPAddress[] Addresses(MdnsCache cache, DnsName host) =>
        cache.Get(host, DnsType.A).Concat(cache.Get(host, DnsType.Aaaa))
            .Select(r => r.Data).OfType<AddressData>().Select(a => a.Address).ToArray();

    /// <summary>Which browsed instances are gone once records expired: the PTR that listed it (goodbye,
    /// or 75 min unrefreshed), or its SRV with no other left (the device went silent: SRV lives 120 s and
    /// the refresh queries went unanswered).</summary>
    public static IReadOnlyList<DnsName> Lost(IReadOnlyList<DnsRecord> expired, MdnsCache cache, IReadOnlyList<DnsName> browsedTypes)
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
