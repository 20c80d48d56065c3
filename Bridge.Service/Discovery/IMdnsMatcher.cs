using Bridge.Protocols.Dns;

namespace Bridge.Service.Discovery;

/// <summary>Who a DNS-SD instance is, as one protocol module sees it: a stable id and the protocol.
/// <see cref="OwnService"/> is false when the service type is not the protocol's own (a device's web
/// UI on <c>_http._tcp</c>): its port is then not the one to talk to, and an own-service sighting of
/// the same device wins.</summary>
public readonly record struct MdnsIdentity(string Id, string Protocol, bool OwnService = true);

/// <summary>A protocol module's part of mDNS discovery: the service types to browse for, and which
/// instances of them are its devices. Several modules may browse one type (<c>_http._tcp</c>).</summary>
public interface IMdnsMatcher
{
    IReadOnlyList<DnsName> ServiceTypes { get; }

    /// <summary>This protocol's device, or null for an instance it does not know.</summary>
    MdnsIdentity? Identify(DnsName serviceType, string instanceLabel, IReadOnlyDictionary<string, string?> txt);
}
