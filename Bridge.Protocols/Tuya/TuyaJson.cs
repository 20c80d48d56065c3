using System.Buffers;
using System.Globalization;
using System.Text.Json;

namespace Bridge.Protocols.Tuya;

/// <summary>What a device said in one JSON payload: its data points (from <c>dps</c> at the top or
/// under <c>data</c>) and the device id it named, if any.</summary>
public sealed record TuyaReport(IReadOnlyDictionary<string, TuyaDpValue> Dps, string? DeviceId, long? Time);

/// <summary>The JSON bodies of Tuya's commands (PROTOCOLS.md §10.1), written per version, and the
/// reader of device reports. Reading never throws.</summary>
public static class TuyaJson
{
    /// <summary>DP_QUERY (3.1/3.3, with ids and time) or DP_QUERY_NEW (3.4/3.5, <c>{}</c>).</summary>
    public static byte[] Query(TuyaVersion version, string devId, DateTimeOffset now)
    {
        if (version.NeedsSession()) return "{}"u8.ToArray();
        return Write(w =>
        {
            w.WriteString("gwId", devId);
            w.WriteString("devId", devId);
            w.WriteString("uid", devId);
            w.WriteString("t", now.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture));
        });
    }

    public static uint QueryCommand(TuyaVersion version) => version.NeedsSession() ? TuyaCommand.DpQueryNew : TuyaCommand.DpQuery;

    public static uint ControlCommand(TuyaVersion version) => version.NeedsSession() ? TuyaCommand.ControlNew : TuyaCommand.Control;

    /// <summary>CONTROL <c>{"devId","uid","t","dps"}</c> (3.1/3.3) or CONTROL_NEW
    /// <c>{"protocol":5,"t","data":{"dps"}}</c> (3.4/3.5).</summary>
    public static byte[] Control(TuyaVersion version, string devId, DateTimeOffset now, IEnumerable<KeyValuePair<string, TuyaDpValue>> dps)
    {
        var t = now.ToUnixTimeSeconds();
        return Write(w =>
        {
            if (version.NeedsSession())
            {
                w.WriteNumber("protocol", 5);
                w.WriteNumber("t", t);
                w.WriteStartObject("data");
                WriteDps(w, dps);
                w.WriteEndObject();
            }
            else
            {
                w.WriteString("devId", devId);
                w.WriteString("gwId", devId);
                w.WriteString("uid", "");
                w.WriteString("t", t.ToString(CultureInfo.InvariantCulture));
                WriteDps(w, dps);
            }
        });
    }

    /// <summary>A device's report: a STATUS push <c>{"protocol":4,"t","data":{"dps"}}</c> (3.4/3.5),
    /// or <c>{"devId","gwId","t","dps"}</c> (3.1/3.3 and query answers).</summary>
    public static byte[] Report(TuyaVersion version, string devId, DateTimeOffset now, IEnumerable<KeyValuePair<string, TuyaDpValue>> dps, bool push)
    {
        var t = now.ToUnixTimeSeconds();
        return Write(w =>
        {
            if (version.NeedsSession() && push)
            {
                w.WriteNumber("protocol", 4);
                w.WriteNumber("t", t);
                w.WriteStartObject("data");
                WriteDps(w, dps);
                w.WriteEndObject();
            }
            else
            {
                w.WriteString("devId", devId);
                w.WriteString("gwId", devId);
                w.WriteNumber("t", t);
                WriteDps(w, dps);
            }
        });
    }

    /// <summary>Reads dps, the device id and the time from any device payload. False (with the reason)
    /// for anything that is not a JSON object; a JSON object without dps is a report with none.</summary>
    public static bool TryReadReport(ReadOnlySpan<byte> payload, out TuyaReport? report, out string error)
    {
        report = null;
        error = "";
        // Some firmware appends NULs or padding bytes; JSON ends at the last brace.
        var end = payload.LastIndexOf((byte)'}');
        if (end < 0) { error = "not a JSON object"; return false; }
        try
        {
            using var doc = JsonDocument.Parse(payload[..(end + 1)].ToArray());
            var root = doc.RootElement;
            if (root.ValueKind != JsonValueKind.Object) { error = "not a JSON object"; return false; }
            var dps = new Dictionary<string, TuyaDpValue>(StringComparer.Ordinal);
            string? id = null;
            long? time = null;
            Collect(root, dps, ref id, ref time);
            if (root.TryGetProperty("data", out var data) && data.ValueKind == JsonValueKind.Object) Collect(data, dps, ref id, ref time);
            report = new TuyaReport(dps, id, time);
            return true;
        }
        catch (JsonException e)
        {
            error = "bad JSON: " + e.Message;
            return false;
        }
    }

    private static void Collect(JsonElement o, Dictionary<string, TuyaDpValue> dps, ref string? id, ref long? time)
    {
        if (o.TryGetProperty("dps", out var d) && d.ValueKind == JsonValueKind.Object)
            foreach (var p in d.EnumerateObject())
                if (TuyaDpValue.TryRead(p.Value, out var v)) dps[p.Name] = v;
        foreach (var name in (ReadOnlySpan<string>)["devId", "gwId", "cid"])
            if (id is null && o.TryGetProperty(name, out var i) && i.ValueKind == JsonValueKind.String) id = i.GetString();
        if (time is null && o.TryGetProperty("t", out var t))
        {
            if (t.ValueKind == JsonValueKind.Number && t.TryGetInt64(out var n)) time = n;
            else if (t.ValueKind == JsonValueKind.String && long.TryParse(t.GetString(), NumberStyles.None, CultureInfo.InvariantCulture, out n)) time = n;
        }
    }

    private static void WriteDps(Utf8JsonWriter w, IEnumerable<KeyValuePair<string, TuyaDpValue>> dps)
    {
        w.WriteStartObject("dps");
        foreach (var (k, v) in dps)
        {
            w.WritePropertyName(k);
            v.WriteTo(w);
        }
        w.WriteEndObject();
    }

    internal static byte[] Write(Action<Utf8JsonWriter> body)
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
}
