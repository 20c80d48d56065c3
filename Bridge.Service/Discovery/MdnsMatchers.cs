using Bridge.Protocols.Dns;

namespace Bridge.Service.Discovery;

/// <summary>Every module's mDNS matcher: the union of their service types is what the querier
/// browses; an instance is asked of each matcher that browses its type, in registration order.</summary>
public sealed class MdnsMatchers
{
    private readonly IReadOnlyList<IMdnsMatcher> _matchers;

    public MdnsMatchers(IEnumerable<IMdnsMatcher> matchers)
    {
        _matchers = matchers.ToArray();
        BrowsedTypes = _matchers.SelectMany(m => m.ServiceTypes).Distinct().ToArray();
    }

    public IReadOnlyList<DnsName> BrowsedTypes { get; }

    public MdnsIdentity? Identify(DnsName serviceType, string instanceLabel, IReadOnlyDictionary<string, string?> txt)
    {
        var label = instanceLabel.Trim();
        if (label.Length == 0) return null;
        foreach (var m in _matchers)
            if (m.ServiceTypes.Contains(serviceType) && m.Identify(serviceType, label, txt) is { } identity) return identity;
        return null;
    }
}

/// <summary>Service types more than one module browses.</summary>
public static class MdnsServiceTypes
{
    /// <summary>Plain HTTP: many devices' web UIs; only the instance name or TXT tells whose.</summary>
    public static readonly DnsName Http = DnsName.Parse("_http._tcp.local");
}
