using System.Buffers;
using System.Text.Json;

namespace Bridge.Protocols.Gree;

/// <summary>The outer JSON of every Gree datagram (PROTOCOLS.md §10.3):
/// <c>{"t":"pack","i":…,"uid":0,"cid":…,"tcid":…,"pack":&lt;b64&gt;[,"tag":&lt;b64&gt;]}</c>, or the bare
/// <c>{"t":"scan"}</c> request.</summary>
public sealed record GreeEnvelope(string T, int I, string Cid, string Tcid, string? Pack, string? Tag)
{
    public const int MaxDatagramBytes = 8 * 1024;

    public static byte[] Scan => "{\"t\":\"scan\"}"u8.ToArray();

    /// <summary>Reads an envelope; false (with the reason) for anything else. Never throws.</summary>
    public static bool TryParse(ReadOnlySpan<byte> datagram, out GreeEnvelope? envelope, out string error)
    {
        envelope = null;
        error = "";
        if (datagram.Length > MaxDatagramBytes) { error = $"a datagram of {datagram.Length} bytes is too long"; return false; }
        try
        {
            var reader = new Utf8JsonReader(datagram);
            using var doc = JsonDocument.ParseValue(ref reader);
            var root = doc.RootElement;
            if (root.ValueKind != JsonValueKind.Object || Str(root, "t") is not { } t) { error = "not a Gree message (no \"t\")"; return false; }
            var i = root.TryGetProperty("i", out var ie) && ie.ValueKind == JsonValueKind.Number && ie.TryGetInt32(out var iv) ? iv : 0;
            envelope = new GreeEnvelope(t, i, Str(root, "cid") ?? "", Str(root, "tcid") ?? "", Str(root, "pack"), Str(root, "tag"));
            if (t == "pack" && envelope.Pack is null) { error = "a pack message without \"pack\""; envelope = null; return false; }
            return true;
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException)
        {
            // InvalidOperationException: a string that is not valid UTF-8.
            error = "bad JSON: " + e.Message;
            return false;
        }
    }

    /// <summary>Writes a pack envelope with <paramref name="inner"/> encrypted under <paramref name="key"/>.</summary>
    public static byte[] Write(GreeCipherVersion version, string key, int i, string cid, string tcid, ReadOnlySpan<byte> inner)
    {
        var (pack, tag) = GreeCipher.Encrypt(version, key, inner);
        var buffer = new ArrayBufferWriter<byte>(pack.Length + 96);
        using (var w = new Utf8JsonWriter(buffer))
        {
            w.WriteStartObject();
            w.WriteString("cid", cid);
            w.WriteNumber("i", i);
            w.WriteString("t", "pack");
            w.WriteNumber("uid", 0);
            w.WriteString("tcid", tcid);
            w.WriteString("pack", pack);
            if (tag is not null) w.WriteString("tag", tag);
            w.WriteEndObject();
        }
        return buffer.WrittenSpan.ToArray();
    }

    /// <summary>The cipher this envelope was sealed with: a <c>tag</c> means V2.</summary>
    public GreeCipherVersion Cipher => Tag is null ? GreeCipherVersion.V1 : GreeCipherVersion.V2;

    private static string? Str(JsonElement o, string name) =>
        o.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;
}
