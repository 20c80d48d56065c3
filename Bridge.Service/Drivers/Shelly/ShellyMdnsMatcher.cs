using Bridge.Protocols.Dns;
using Bridge.Service.Discovery;

namespace Bridge.Service.Drivers.Shelly;

/// <summary>Shelly Gen2+ announce <c>_shelly._tcp</c> with the device id as the instance name
/// (PROTOCOLS.md §3.5), which is also its id on MQTT, so an adopted Shelly is recognised in the
/// registry by that id. Behind plain HTTP (Gen1 has no <c>_shelly</c>) only what names itself:
/// a <c>shelly…</c> host name, or TXT <c>gen=</c>.</summary>
public sealed class ShellyMdnsMatcher : IMdnsMatcher
{
    public static readonly DnsName ServiceType = DnsName.Parse("_shelly._tcp.local");

    public IReadOnlyList<DnsName> ServiceTypes { get; } = [ServiceType, MdnsServiceTypes.Http];

    public MdnsIdentity? Identify(DnsName serviceType, string instanceLabel, IReadOnlyDictionary<string, string?> txt)
    {
        if (serviceType == ServiceType) return new MdnsIdentity(instanceLabel.ToLowerInvariant(), ShellyDriver.DriverName);
        if (instanceLabel.StartsWith("shelly", StringComparison.OrdinalIgnoreCase) || txt.ContainsKey("gen"))
            return new MdnsIdentity(instanceLabel.ToLowerInvariant(), ShellyDriver.DriverName, OwnService: false);
        return null;
    }
}
