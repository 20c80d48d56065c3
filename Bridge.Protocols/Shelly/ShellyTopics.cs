namespace Bridge.Protocols.Shelly;

/// <summary>Builds and parses Shelly Gen2+ MQTT topics. Every Shelly topic string is made here.</summary>
public static class ShellyTopics
{
    public const string OnlineFilter = "+/online";
    public const string EventsFilter = "+/events/rpc";

    public static string Rpc(string prefix) => prefix + "/rpc";
    public static string Events(string prefix) => prefix + "/events/rpc";
    public static string Online(string prefix) => prefix + "/online";
    /// <summary>Where a device answers a request whose <c>src</c> was <paramref name="src"/>.</summary>
    public static string Replies(string src) => src + "/rpc";

    public static bool TryParseOnline(string topic, out string prefix) => TryStrip(topic, "/online", out prefix);
    public static bool TryParseEvents(string topic, out string prefix) => TryStrip(topic, "/events/rpc", out prefix);
    public static bool TryParseRpc(string topic, out string prefix) => TryStrip(topic, "/rpc", out prefix);

    private static bool TryStrip(string topic, string suffix, out string prefix)
    {
        prefix = "";
        if (!topic.EndsWith(suffix, StringComparison.Ordinal) || topic.Length == suffix.Length) return false;
        prefix = topic[..^suffix.Length];
        return true;
    }
}
