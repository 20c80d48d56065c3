using System.Text.Json;

namespace Bridge.Protocols.Tasmota;

/// <summary>The retained <c>tasmota/discovery/&lt;MAC&gt;/config</c> message (Tasmota's native discovery).</summary>
public sealed record TasmotaDiscoveryConfig
{
    public required string Mac { get; init; }
    public required string Topic { get; init; }
    public string FullTopic { get; init; } = TasmotaTopics.DefaultFullTopic;
    public string[] Prefixes { get; init; } = [TasmotaTopics.Command, TasmotaTopics.Status, TasmotaTopics.Telemetry];
    public string? Ip { get; init; }
    public string? DeviceName { get; init; }
    public string? FriendlyName { get; init; }
    public string? Hostname { get; init; }
    public string? Module { get; init; }
    public string? Version { get; init; }
    public string OfflinePayload { get; init; } = "Offline";
    public string OnlinePayload { get; init; } = "Online";
    public int[] Relays { get; init; } = [];
    public int LightSubtype { get; init; }
    public string[] StateTexts { get; init; } = ["OFF", "ON", "TOGGLE", "HOLD"];

    public string CommandPrefix => Prefixes.Length > 0 ? Prefixes[0] : TasmotaTopics.Command;
    public string StatusPrefix => Prefixes.Length > 1 ? Prefixes[1] : TasmotaTopics.Status;
    public string TelemetryPrefix => Prefixes.Length > 2 ? Prefixes[2] : TasmotaTopics.Telemetry;

    /// <summary>Parses a config payload; false (with a reason) for anything that is not one.</summary>
    public static bool TryParse(ReadOnlySpan<byte> payload, out TasmotaDiscoveryConfig? config, out string error)
    {
        config = null;
        error = "";
        if (payload.IsEmpty)
        {
            error = "empty (discovery cleared)";
            return false;
        }
        try
        {
            var reader = new Utf8JsonReader(payload);
            using var doc = JsonDocument.ParseValue(ref reader);
            var r = doc.RootElement;
            if (r.ValueKind != JsonValueKind.Object)
            {
                error = "not a JSON object";
                return false;
            }
            var mac = Str(r, "mac");
            var topic = Str(r, "t");
            if (string.IsNullOrEmpty(mac) || string.IsNullOrEmpty(topic) || topic.Contains('/') || topic.Contains('+') || topic.Contains('#'))
            {
                error = "'mac' or 't' missing or invalid";
                return false;
            }
            string? friendly = null;
            if (r.TryGetProperty("fn", out var fn) && fn.ValueKind == JsonValueKind.Array && fn.GetArrayLength() > 0 && fn[0].ValueKind == JsonValueKind.String)
                friendly = fn[0].GetString();
            config = new TasmotaDiscoveryConfig
            {
                Mac = mac,
                Topic = topic,
                FullTopic = Str(r, "ft") is { Length: > 0 } ft ? ft : TasmotaTopics.DefaultFullTopic,
                Prefixes = StrArray(r, "tp") is { Length: 3 } tp ? tp : [TasmotaTopics.Command, TasmotaTopics.Status, TasmotaTopics.Telemetry],
                Ip = Str(r, "ip"),
                DeviceName = Str(r, "dn"),
                FriendlyName = friendly,
                Hostname = Str(r, "hn"),
                Module = Str(r, "md"),
                Version = Str(r, "sw"),
                OfflinePayload = Str(r, "ofln") ?? "Offline",
                OnlinePayload = Str(r, "onln") ?? "Online",
                Relays = IntArray(r, "rl"),
                LightSubtype = r.TryGetProperty("lt_st", out var lt) && lt.TryGetInt32(out var l) ? l : 0,
                StateTexts = StrArray(r, "state") is { Length: >= 2 } st ? st : ["OFF", "ON", "TOGGLE", "HOLD"],
            };
            return true;
        }
        catch (JsonException e)
        {
            error = "malformed JSON: " + e.Message;
            return false;
        }
    }

    private static string? Str(JsonElement e, string name) =>
        e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;

    private static string[]? StrArray(JsonElement e, string name)
    {
        if (!e.TryGetProperty(name, out var v) || v.ValueKind != JsonValueKind.Array) return null;
        var list = new List<string>();
        foreach (var x in v.EnumerateArray())
            if (x.ValueKind == JsonValueKind.String) list.Add(x.GetString()!);
        return list.ToArray();
    }

    private static int[] IntArray(JsonElement e, string name)
    {
        if (!e.TryGetProperty(name, out var v) || v.ValueKind != JsonValueKind.Array) return [];
        var list = new List<int>();
        foreach (var x in v.EnumerateArray())
            list.Add(x.TryGetInt32(out var i) ? i : 0);
        return list.ToArray();
    }
}
