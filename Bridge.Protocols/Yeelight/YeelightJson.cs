using System.Text.Json;

namespace Bridge.Protocols.Yeelight;

/// <summary>The one place a control line becomes a JSON document: every line is one object.</summary>
internal static class YeelightJson
{
    /// <summary>Parses a line that must be a JSON object; never throws. Dispose the document.</summary>
    public static bool TryParseObject(ReadOnlySpan<byte> line, out JsonDocument? doc, out string error)
    {
        try
        {
            doc = JsonDocument.Parse(line.ToArray());
        }
        catch (JsonException e)
        {
            doc = null;
            error = "malformed JSON: " + e.Message;
            return false;
        }
        if (doc.RootElement.ValueKind != JsonValueKind.Object)
        {
            doc.Dispose();
            doc = null;
            error = "not a JSON object";
            return false;
        }
        error = "";
        return true;
    }

    /// <summary>The <c>id</c> member when it is an integer.</summary>
    public static bool TryGetId(JsonElement message, out long id)
    {
        id = 0;
        return message.TryGetProperty("id", out var v) && v.ValueKind == JsonValueKind.Number && v.TryGetInt64(out id);
    }
}
