using Bridge.Protocols.Dns;
using Bridge.Service.Discovery;
using Bridge.Service.Modules;

namespace Bridge.Service.Drivers.EspHome;

/// <summary>ESPHome devices: found and listed by <c>discovered</c> (their native API announces
/// <c>_esphomelib._tcp</c>); the bridge has no driver for that API yet, so nothing more.</summary>
public sealed class EspHomeModule : IProtocolModule
{
    public const string ProtocolName = "esphome";

    public string Name => ProtocolName;

    public void Register(ProtocolBuilder protocol) => protocol.Mdns(new EspHomeMdnsMatcher());
}

/// <summary>An ESPHome device's instance name is its node name, its id here.</summary>
public sealed class EspHomeMdnsMatcher : IMdnsMatcher
{
    public static readonly DnsName ServiceType = DnsName.Parse("_esphomelib._tcp.local");

    public IReadOnlyList<DnsName> ServiceTypes { get; } = [ServiceType];

    public MdnsIdentity? Identify(DnsName serviceType, string instanceLabel, IReadOnlyDictionary<string, string?> txt) =>
        new MdnsIdentity(instanceLabel.ToLowerInvariant(), EspHomeModule.ProtocolName);
}
