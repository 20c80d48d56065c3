using System.Buffers;
using System.Text.Json;

namespace Bridge.Protocols.Shelly;

/// <summary>One Shelly JSON-RPC frame: a request, a response or a notification.
/// Owns its JsonDocument; dispose it when done.</summary>
public sealed class ShellyFrame : IDisposable
{
    private readonly JsonDocument _doc;

    private ShellyFrame(JsonDocument doc) => _doc = doc;

    public long? Id { get; private init; }
    public string? Src { get; private init; }
    public string? Dst { get; private init; }
    public string? Method { get; private init; }
    public JsonElement Params { get; private init; }
    public JsonElement Result { get; private init; }
    public int? ErrorCode { get; private init; }
    public string? ErrorMessage { get; private init; }

    public bool IsResponse => Id is not null && Method is null;
    public bool IsNotification => Id is null && Method is not null;

    public static bool TryParse(ReadOnlySequence<byte> payload, out ShellyFrame? frame, out string error)
    {
        frame = null;
        error = "";
        JsonDocument doc;
        try
        {
            doc = JsonDocument.Parse(payload);
        }
        catch (JsonException e)
        {
            error = "malformed JSON: " + e.Message;
            return false;
        }
        var r = doc.RootElement;
        if (r.ValueKind != JsonValueKind.Object)
        {
            doc.Dispose();
            error = "not a JSON object";
            return false;
        }
        long? id = null;
        if (r.TryGetProperty("id", out var idJson))
        {
            if (idJson.ValueKind == JsonValueKind.Number && idJson.TryGetInt64(out var n)) id = n;
            else if (idJson.ValueKind == JsonValueKind.String && long.TryParse(idJson.GetString(), out var s)) id = s;
        }
        int? code = null;
        string? message = null;
        if (r.TryGetProperty("error", out var err) && err.ValueKind == JsonValueKind.Object)
        {
            code = err.TryGetProperty("code", out var c) && c.TryGetInt32(out var ci) ? ci : -1;
            message = err.TryGetProperty("message", out var m) && m.ValueKind == JsonValueKind.String ? m.GetString() : null;
        }
        frame = new ShellyFrame(doc)
        {
            Id = id,
            Src = Str(r, "src"),
            Dst = Str(r, "dst"),
            Method = Str(r, "method"),
            Params = r.TryGetProperty("params", out var p) ? p : default,
            Result = r.TryGetProperty("result", out var res) ? res : default,
            ErrorCode = code,
            ErrorMessage = message,
        };
        return true;
    }

    private static string? Str(JsonElement e, string name) =>
        e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;

    public void Dispose() => _doc.Dispose();
}
