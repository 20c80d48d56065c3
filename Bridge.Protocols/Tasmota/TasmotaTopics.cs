namespace Bridge.Protocols.Tasmota;

/// <summary>Builds and parses Tasmota topics. Every Tasmota topic string is made here.</summary>
public static class TasmotaTopics
{
    public const string DefaultFullTopic = "%prefix%/%topic%/";
    public const string Command = "cmnd";
    public const string Status = "stat";
    public const string Telemetry = "tele";
    public const string DiscoveryConfigFilter = "tasmota/discovery/+/config";
    public const string DiscoveryPrefix = "tasmota/discovery/";

    /// <summary>The topic for one message: FullTopic with its tokens replaced, then the last level.</summary>
    public static string Build(string fullTopic, string prefix, string topic, string last, string? hostname = null, string? mac = null)
    {
        var s = fullTopic
            .Replace("%prefix%", prefix, StringComparison.Ordinal)
            .Replace("%topic%", topic, StringComparison.Ordinal);
        if (hostname is not null) s = s.Replace("%hostname%", hostname, StringComparison.Ordinal);
        if (mac is not null) s = s.Replace("%id%", mac, StringComparison.Ordinal);
        if (!s.EndsWith('/')) s += "/";
        return s + last;
    }

    public static string Default(string prefix, string topic, string last) => prefix + "/" + topic + "/" + last;

    /// <summary>Splits a topic of the default FullTopic: prefix/topic/last.</summary>
    public static bool TryParseDefault(string mqttTopic, out string prefix, out string topic, out string last)
    {
        prefix = topic = last = "";
        var first = mqttTopic.IndexOf('/');
        var lastSlash = mqttTopic.LastIndexOf('/');
        if (first <= 0 || lastSlash <= first + 1 || lastSlash == mqttTopic.Length - 1) return false;
        prefix = mqttTopic[..first];
        topic = mqttTopic[(first + 1)..lastSlash];
        last = mqttTopic[(lastSlash + 1)..];
        return topic.IndexOf('/') < 0;
    }

    /// <summary>The MAC from <c>tasmota/discovery/&lt;MAC&gt;/config</c>.</summary>
    public static bool TryParseDiscovery(string mqttTopic, out string mac)
    {
        mac = "";
        if (!mqttTopic.StartsWith(DiscoveryPrefix, StringComparison.Ordinal) || !mqttTopic.EndsWith("/config", StringComparison.Ordinal))
            return false;
        mac = mqttTopic[DiscoveryPrefix.Length..^"/config".Length];
        return mac.Length > 0 && mac.IndexOf('/') < 0;
    }
}
