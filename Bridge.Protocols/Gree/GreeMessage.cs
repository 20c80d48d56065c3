using System.Buffers;
using System.Text.Json;

namespace Bridge.Protocols.Gree;

/// <summary>The decrypted inner message of a Gree pack (PROTOCOLS.md §10.3): <c>dev</c> (scan
/// answer), <c>bind</c>/<c>bindok</c>, <c>status</c>/<c>dat</c>, <c>cmd</c>/<c>res</c>. Columns and
/// values are kept in order; a <c>res</c> that carries only <c>p</c> has it as <see cref="Values"/>.</summary>
public sealed record GreeMessage(string T)
{
    public string? Mac { get; init; }
    public string? Key { get; init; }
    public int? R { get; init; }
    /// <summary><c>cols</c> (status, dat) or <c>opt</c> (cmd, res).</summary>
    public IReadOnlyList<string> Columns { get; init; } = [];
    /// <summary><c>dat</c> (dat), <c>val</c> (res, when given) or <c>p</c> (cmd, res).</summary>
    public IReadOnlyList<int> Values { get; init; } = [];
    public string? Name { get; init; }
    public string? Model { get; init; }
    public string? Version { get; init; }
    public string? Hid { get; init; }
    public string? Brand { get; init; }

    public static bool TryParse(ReadOnlySpan<byte> json, out GreeMessage? message, out string error)
    {
        message = null;
        error = "";
        var end = json.LastIndexOf((byte)'}');
        if (end < 0) { error = "no JSON object"; return false; }
        try
        {
            using var doc = JsonDocument.Parse(json[..(end + 1)].ToArray());
            var o = doc.RootElement;
            if (o.ValueKind != JsonValueKind.Object || Str(o, "t") is not { } t) { error = "no \"t\" in the message"; return false; }
            var values = Ints(o, "val") is { Count: > 0 } val ? val : Ints(o, "dat") is { Count: > 0 } dat ? dat : Ints(o, "p") ?? [];
            message = new GreeMessage(t)
            {
                Mac = Str(o, "mac") ?? Str(o, "cid"),
                Key = Str(o, "key"),
                R = o.TryGetProperty("r", out var r) && r.ValueKind == JsonValueKind.Number && r.TryGetInt32(out var rv) ? rv : null,
                Columns = Strs(o, "cols") ?? Strs(o, "opt") ?? [],
                Values = values,
                Name = Str(o, "name"),
                Model = Str(o, "model"),
                Version = Str(o, "ver"),
                Hid = Str(o, "hid"),
                Brand = Str(o, "brand"),
            };
            return true;
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException)
        {
            // InvalidOperationException: a string that is not valid UTF-8.
            error = "bad JSON: " + e.Message;
            return false;
        }
    }

    public static byte[] Bind(string mac) => Write(w =>
    {
        w.WriteString("mac", mac);
        w.WriteString("t", "bind");
        w.WriteNumber("uid", 0);
    });

    public static byte[] BindOk(string mac, string key) => Write(w =>
    {
        w.WriteString("t", "bindok");
        w.WriteString("mac", mac);
        w.WriteString("key", key);
        w.WriteNumber("r", 200);
    });

    public static byte[] Status(string mac, IEnumerable<string> columns) => Write(w =>
    {
        WriteStrings(w, "cols", columns);
        w.WriteString("mac", mac);
        w.WriteString("t", "status");
    });

    public static byte[] Dat(string mac, IReadOnlyList<string> columns, IReadOnlyList<int> values) => Write(w =>
    {
        w.WriteString("t", "dat");
        w.WriteString("mac", mac);
        w.WriteNumber("r", 200);
        WriteStrings(w, "cols", columns);
        WriteInts(w, "dat", values);
    });

    public static byte[] Cmd(IReadOnlyList<string> options, IReadOnlyList<int> values) => Write(w =>
    {
        WriteStrings(w, "opt", options);
        WriteInts(w, "p", values);
        w.WriteString("t", "cmd");
    });

    /// <summary>The unit's answer to a cmd; <paramref name="withVal"/> false writes only <c>p</c>, as some firmware does.</summary>
    public static byte[] Res(string mac, IReadOnlyList<string> options, IReadOnlyList<int> values, bool withVal) => Write(w =>
    {
        w.WriteString("t", "res");
        w.WriteString("mac", mac);
        w.WriteNumber("r", 200);
        WriteStrings(w, "opt", options);
        WriteInts(w, "p", values);
        if (withVal) WriteInts(w, "val", values);
    });

    public static byte[] Device(string mac, string name, string model, string ver, string hid) => Write(w =>
    {
        w.WriteString("t", "dev");
        w.WriteString("cid", mac);
        w.WriteString("bc", "gree");
        w.WriteString("brand", "gree");
        w.WriteString("catalog", "gree");
        w.WriteString("mac", mac);
        w.WriteString("mid", "10001");
        w.WriteString("model", model);
        w.WriteString("name", name);
        w.WriteString("series", "gree");
        w.WriteString("vender", "1");
        w.WriteString("ver", ver);
        w.WriteNumber("lock", 0);
        w.WriteString("hid", hid);
    });

    private static byte[] Write(Action<Utf8JsonWriter> body)
    {
        var buffer = new ArrayBufferWriter<byte>(192);
        using (var w = new Utf8JsonWriter(buffer))
        {
            w.WriteStartObject();
            body(w);
            w.WriteEndObject();
        }
        return buffer.WrittenSpan.ToArray();
    }

    private static void WriteStrings(Utf8JsonWriter w, string name, IEnumerable<string> values)
    {
        w.WriteStartArray(name);
        foreach (var v in values) w.WriteStringValue(v);
        w.WriteEndArray();
    }

    private static void WriteInts(Utf8JsonWriter w, string name, IEnumerable<int> values)
    {
        w.WriteStartArray(name);
        foreach (var v in values) w.WriteNumberValue(v);
        w.WriteEndArray();
    }

    private static string? Str(JsonElement o, string name) =>
        o.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;

    private static List<string>? Strs(JsonElement o, string name)
    {
        if (!o.TryGetProperty(name, out var a) || a.ValueKind != JsonValueKind.Array) return null;
        var list = new List<string>();
        foreach (var e in a.EnumerateArray())
            if (e.ValueKind == JsonValueKind.String) list.Add(e.GetString()!);
        return list;
    }

    private static List<int>? Ints(JsonElement o, string name)
    {
        if (!o.TryGetProperty(name, out var a) || a.ValueKind != JsonValueKind.Array) return null;
        var list = new List<int>();
        foreach (var e in a.EnumerateArray())
            list.Add(e.ValueKind == JsonValueKind.Number && e.TryGetInt32(out var n) ? n : 0);
        return list;
    }
}
