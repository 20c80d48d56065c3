using Bridge.Protocols.Dns;

namespace Bridge.Service.Discovery;

/// <summary>Who a DNS-SD instance is: a stable id and a protocol, or nothing for services we
/// can't place. Shelly uses its device id as the instance name (PROTOCOLS.md §3.5), which is
/// also its id on MQTT, so an adopted Shelly is recognised in the registry by that id.</summary>
public static class DeviceIdentification
{
    public static readonly DnsName Shelly = DnsName.Parse("_shelly._tcp.local");
    public static readonly DnsName EspHome = DnsName.Parse("_esphomelib._tcp.local");
    public static readonly DnsName Http = DnsName.Parse("_http._tcp.local");

    public static readonly IReadOnlyList<DnsName> BrowsedTypes = [Shelly, EspHome, Http];

    public static (string Id, string Protocol)? Identify(DnsName serviceType, string instanceLabel, IReadOnlyDictionary<string, string?> txt)
    {
        var label = instanceLabel.Trim();
        if (label.Length == 0) return null;
        if (serviceType == Shelly) return (label.ToLowerInvariant(), "shelly");
        if (serviceType == EspHome) return (label.ToLowerInvariant(), "esphome");
        if (serviceType != Http) return null;
        // Behind plain HTTP only what names itself: Shelly (Gen1 has no _shelly; Gen2+ say gen=)
        // and Tasmota's default host names.
        if (label.StartsWith("shelly", StringComparison.OrdinalIgnoreCase) || txt.ContainsKey("gen")) return (label.ToLowerInvariant(), "shelly");
        if (label.StartsWith("tasmota", StringComparison.OrdinalIgnoreCase)) return (label.ToLowerInvariant(), "tasmota");
        return null;
    }
}
