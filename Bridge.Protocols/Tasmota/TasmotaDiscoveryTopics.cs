namespace Bridge.Protocols.Tasmota;

/// <summary>The topics of Tasmota's native discovery for one device (by its MAC, 12 upper-case hex digits).</summary>
public static class TasmotaDiscoveryTopics
{
    public static string Config(string mac) => TasmotaTopics.DiscoveryPrefix + mac + "/config";

    public static string Sensors(string mac) => TasmotaTopics.DiscoveryPrefix + mac + "/sensors";
}
