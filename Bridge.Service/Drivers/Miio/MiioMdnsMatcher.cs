using System.Globalization;
using Bridge.Protocols.Dns;
using Bridge.Service.Discovery;

namespace Bridge.Service.Drivers.Miio;

/// <summary>Xiaomi devices also announce <c>_miio._udp</c> (CONTRACT.md), as
/// <c>&lt;model with dashes&gt;_miio&lt;device id&gt;</c>, e.g. <c>yeelink-light-bslamp2_miio123456789</c>.</summary>
public sealed class MiioMdnsMatcher : IMdnsMatcher
{
    public static readonly DnsName ServiceType = DnsName.Parse("_miio._udp.local");

    public IReadOnlyList<DnsName> ServiceTypes { get; } = [ServiceType];

    public MdnsIdentity? Identify(DnsName serviceType, string instanceLabel, IReadOnlyDictionary<string, string?> txt)
    {
        var at = instanceLabel.LastIndexOf("_miio", StringComparison.OrdinalIgnoreCase);
        return at >= 0 && uint.TryParse(instanceLabel.AsSpan(at + 5), NumberStyles.None, CultureInfo.InvariantCulture, out var did)
            ? new MdnsIdentity(MiioDevices.DeviceIdOf(did), MiioDevices.Protocol)
            : null;
    }
}
