using System.Text.Json;

namespace Bridge.Protocols.Api;

/// <summary>One parsed request frame. Owns the parsed document: dispose it when the request is done.</summary>
public sealed class ApiRequest : IDisposable
{
    public const int MaxFrameBytes = 64 * 1024;

    private readonly JsonDocument _doc;

    private ApiRequest(JsonDocument doc, string id, string op)
    {
        _doc = doc;
        Id = id;
        Op = op;
    }

    public string Id { get; }
    public string Op { get; }
    public JsonElement Root => _doc.RootElement;

    public string? GetString(string name) =>
        Root.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;

    public bool TryGet(string name, out JsonElement value) => Root.TryGetProperty(name, out value);

    /// <summary>Parses a frame. On failure <paramref name="error"/> says what is wrong and
    /// <paramref name="id"/> carries the request's id when one could be read.</summary>
    public static bool TryParse(ReadOnlyMemory<byte> frame, out ApiRequest? request, out string? id, out string error)
    {
        request = null;
        id = null;
        error = "";
        if (frame.Length > MaxFrameBytes)
        {
            error = $"frame of {frame.Length} bytes is over the {MaxFrameBytes}-byte limit";
            return false;
        }
        JsonDocument doc;
        bool trailing;
        try
        {
            // ParseValue copies the frame into the document's own pooled memory: requests outlive
            // the receive buffer (a set waits for its device while the next frame is read into it).
            var reader = new Utf8JsonReader(frame.Span, new JsonReaderOptions { MaxDepth = 16 });
            doc = JsonDocument.ParseValue(ref reader);
            try { trailing = reader.Read(); }
            catch (JsonException) { trailing = true; }
        }
        catch (JsonException e)
        {
            error = "malformed JSON: " + e.Message;
            return false;
        }
        var root = doc.RootElement;
        if (root.ValueKind != JsonValueKind.Object)
        {
            doc.Dispose();
            error = "a request must be a JSON object";
            return false;
        }
        if (root.TryGetProperty("id", out var idJson) && idJson.ValueKind == JsonValueKind.String)
            id = idJson.GetString();
        if (trailing)
        {
            doc.Dispose();
            error = "malformed JSON: data after the request object (one request per frame)";
            return false;
        }
        if (id is null)
        {
            doc.Dispose();
            error = "'id' (a string) is missing";
            return false;
        }
        if (!root.TryGetProperty("op", out var opJson) || opJson.ValueKind != JsonValueKind.String)
        {
            doc.Dispose();
            error = "'op' (a string) is missing";
            return false;
        }
        request = new ApiRequest(doc, id, opJson.GetString()!);
        return true;
    }

    public void Dispose() => _doc.Dispose();
}
