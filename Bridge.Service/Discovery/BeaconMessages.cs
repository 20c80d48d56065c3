using System.Buffers;
using System.Text.Json;

namespace Bridge.Service.Discovery;

/// <summary>The UDP beacon's messages (docs/protocol.md, "Finding the bridge"): request
/// <c>{"op":"discover"}</c> with an optional string <c>id</c>, echoed back as <c>request</c>; reply
/// <c>{"op":"bridge","request":...,"v":1,"id":...,"name":...,"ws":...,"port":...,"path":...}</c>.</summary>
public static class BeaconMessages
{
    /// <summary>Requests are tiny; anything larger is not ours (and not worth parsing).</summary>
    public const int MaxRequestBytes = 512;

    /// <summary>True for a discover request; <paramref name="requestId"/> is its optional id.</summary>
    public static bool TryParseRequest(ReadOnlySpan<byte> datagram, out string? requestId)
    {
        requestId = null;
        if (datagram.IsEmpty || datagram.Length > MaxRequestBytes) return false;
        try
        {
            var reader = new Utf8JsonReader(datagram, new JsonReaderOptions { MaxDepth = 4 });
            using var doc = JsonDocument.ParseValue(ref reader);
            var root = doc.RootElement;
            if (root.ValueKind != JsonValueKind.Object) return false;
            if (!root.TryGetProperty("op", out var op) || op.ValueKind != JsonValueKind.String || op.GetString() != "discover") return false;
            if (root.TryGetProperty("id", out var id) && id.ValueKind == JsonValueKind.String && id.GetString()!.Length <= 64) requestId = id.GetString();
            return true;
        }
        catch (JsonException)
        {
            return false;
        }
    }

    public static byte[] Reply(string? requestId, string bridgeId, string name, string wsUrl, int port, string path)
    {
        var buffer = new ArrayBufferWriter<byte>(256);
        using (var w = new Utf8JsonWriter(buffer))
        {
            w.WriteStartObject();
            w.WriteString("op", "bridge");
            if (requestId is not null) w.WriteString("request", requestId);
            w.WriteNumber("v", 1);
            w.WriteString("id", bridgeId);
            w.WriteString("name", name);
            w.WriteString("ws", wsUrl);
            w.WriteNumber("port", port);
            w.WriteString("path", path);
            w.WriteEndObject();
        }
        return buffer.WrittenSpan.ToArray();
    }
}
