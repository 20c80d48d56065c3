using System.Buffers;
using System.Text;
using System.Text.Json;

namespace Bridge.Protocols.Miio;

/// <summary>One MIoT property address (service id, property id) with an optional value.</summary>
public readonly record struct MiotProperty(int Siid, int Piid, JsonElement? Value = null, int Code = 0);

/// <summary>A decoded miIO reply: the request id it answers and either its result or its error.</summary>
public sealed record MiioReply(long Id, JsonElement? Result, int? ErrorCode, string? ErrorMessage)
{
    public bool IsError => ErrorCode is not null;
}

/// <summary>The JSON of miIO/MIoT calls (PROTOCOLS.md §10.2): requests
/// <c>{"id","method","params"}</c>, replies with <c>result</c> or <c>error</c> (a trailing NUL and
/// stray commas tolerated), get/set_properties. Reading never throws.</summary>
public static class MiioJson
{
    /// <summary>Devices take at most this many properties in one get/set_properties.</summary>
    public const int MaxPropertiesPerRequest = 15;

    public static byte[] Request(long id, string method, Action<Utf8JsonWriter> writeParams) => Write(w =>
    {
        w.WriteNumber("id", id);
        w.WriteString("method", method);
        w.WritePropertyName("params");
        writeParams(w);
    });

    public static byte[] GetProperties(long id, string did, IEnumerable<MiotProperty> props) =>
        Request(id, "get_properties", w => WritePropertyList(w, did, props, withValues: false));

    public static byte[] SetProperties(long id, string did, IEnumerable<MiotProperty> props) =>
        Request(id, "set_properties", w => WritePropertyList(w, did, props, withValues: true));

    /// <summary>The params of get/set_properties: <c>[{"did","siid","piid"[,"value"]}, ...]</c>.</summary>
    public static void WritePropertyList(Utf8JsonWriter w, string did, IEnumerable<MiotProperty> props, bool withValues)
    {
        w.WriteStartArray();
        foreach (var p in props)
        {
            w.WriteStartObject();
            w.WriteString("did", did);
            w.WriteNumber("siid", p.Siid);
            w.WriteNumber("piid", p.Piid);
            if (withValues)
            {
                w.WritePropertyName("value");
                if (p.Value is { } v) v.WriteTo(w); else w.WriteNullValue();
            }
            w.WriteEndObject();
        }
        w.WriteEndArray();
    }

    public static byte[] Result(long id, Action<Utf8JsonWriter> writeResult) => Write(w =>
    {
        w.WriteNumber("id", id);
        w.WritePropertyName("result");
        writeResult(w);
    });

    public static byte[] Error(long id, int code, string message) => Write(w =>
    {
        w.WriteNumber("id", id);
        w.WriteStartObject("error");
        w.WriteNumber("code", code);
        w.WriteString("message", message);
        w.WriteEndObject();
    });

    /// <summary>Reads a reply (the bridge's side). False with the reason for anything else.</summary>
    public static bool TryReadReply(ReadOnlySpan<byte> body, out MiioReply? reply, out string error)
    {
        reply = null;
        if (!TryParse(body, out var doc, out error)) return false;
        using (doc)
        {
            var o = doc!.RootElement;
            if (!o.TryGetProperty("id", out var idEl) || !idEl.TryGetInt64(out var id)) { error = "a reply without a numeric id"; return false; }
            if (o.TryGetProperty("error", out var e) && e.ValueKind == JsonValueKind.Object)
            {
                var code = e.TryGetProperty("code", out var c) && c.TryGetInt32(out var ci) ? ci : -1;
                var message = e.TryGetProperty("message", out var m) && m.ValueKind == JsonValueKind.String ? m.GetString() : "";
                reply = new MiioReply(id, null, code, message);
                return true;
            }
            reply = new MiioReply(id, o.TryGetProperty("result", out var r) ? r.Clone() : null, null, null);
            return true;
        }
    }

    /// <summary>Reads a request (the simulator's side): id, method, params.</summary>
    public static bool TryReadRequest(ReadOnlySpan<byte> body, out long id, out string method, out JsonElement parameters, out string error)
    {
        id = 0;
        method = "";
        parameters = default;
        if (!TryParse(body, out var doc, out error)) return false;
        using (doc)
        {
            var o = doc!.RootElement;
            if (!o.TryGetProperty("id", out var idEl) || !idEl.TryGetInt64(out id)) { error = "a request without a numeric id"; return false; }
            if (!o.TryGetProperty("method", out var m) || m.ValueKind != JsonValueKind.String) { error = "a request without a method"; return false; }
            method = m.GetString()!;
            parameters = o.TryGetProperty("params", out var p) ? p.Clone() : default;
            return true;
        }
    }

    /// <summary>The per-property entries of a get/set_properties result.</summary>
    public static List<MiotProperty> Properties(JsonElement? result)
    {
        var list = new List<MiotProperty>();
        if (result is not { ValueKind: JsonValueKind.Array } a) return list;
        foreach (var e in a.EnumerateArray())
        {
            if (e.ValueKind != JsonValueKind.Object) continue;
            if (!e.TryGetProperty("siid", out var s) || !s.TryGetInt32(out var siid) || !e.TryGetProperty("piid", out var p) || !p.TryGetInt32(out var piid)) continue;
            var code = e.TryGetProperty("code", out var c) && c.TryGetInt32(out var ci) ? ci : 0;
            list.Add(new MiotProperty(siid, piid, e.TryGetProperty("value", out var v) ? v.Clone() : null, code));
        }
        return list;
    }

    private static bool TryParse(ReadOnlySpan<byte> body, out JsonDocument? doc, out string error)
    {
        doc = null;
        error = "";
        // Devices pad with NULs and some firmware leaves a comma before a closing brace.
        var end = body.LastIndexOf((byte)'}');
        if (end < 0) { error = "not a JSON object"; return false; }
        try
        {
            doc = JsonDocument.Parse(body[..(end + 1)].ToArray(), new JsonDocumentOptions { AllowTrailingCommas = true, MaxDepth = 16 });
            if (doc.RootElement.ValueKind == JsonValueKind.Object) return true;
            doc.Dispose();
            doc = null;
            error = "not a JSON object";
            return false;
        }
        catch (JsonException e)
        {
            error = "bad JSON: " + e.Message;
            return false;
        }
    }

    private static byte[] Write(Action<Utf8JsonWriter> body)
    {
        var buffer = new ArrayBufferWriter<byte>(256);
        using (var w = new Utf8JsonWriter(buffer))
        {
            w.WriteStartObject();
            body(w);
            w.WriteEndObject();
        }
        return buffer.WrittenSpan.ToArray();
    }

    public static string Text(ReadOnlySpan<byte> body) => Encoding.UTF8.GetString(body);
}
