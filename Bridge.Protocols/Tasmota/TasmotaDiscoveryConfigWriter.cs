using System.Buffers;
using System.Text.Json;

namespace Bridge.Protocols.Tasmota;

/// <summary>Writes a <c>tasmota/discovery/&lt;MAC&gt;/config</c> payload as Tasmota's discovery driver
/// lays it out (the inverse of <see cref="TasmotaDiscoveryConfig.TryParse"/>). Per-relay arrays are
/// padded to <see cref="Slots"/> entries, as firmware builds do.</summary>
public static class TasmotaDiscoveryConfigWriter
{
    /// <summary>How many relay/switch/button slots the arrays carry.</summary>
    public const int Slots = 8;

    private static readonly string[] SetOptions = ["4", "11", "13", "17", "20", "30", "68", "73", "82", "114", "117"];

    public static void Write(TasmotaDiscoveryConfig c, IBufferWriter<byte> output)
    {
        using var w = new Utf8JsonWriter(output);
        Write(c, w);
    }

    public static void Write(TasmotaDiscoveryConfig c, Utf8JsonWriter w)
    {
        w.WriteStartObject();
        w.WriteString("ip", c.Ip ?? "0.0.0.0");
        w.WriteString("dn", c.DeviceName ?? c.FriendlyName ?? "Tasmota");
        w.WriteStartArray("fn");
        w.WriteStringValue(c.FriendlyName ?? c.DeviceName ?? "Tasmota");
        for (var i = 1; i < Slots; i++) w.WriteNullValue();
        w.WriteEndArray();
        w.WriteString("hn", c.Hostname ?? c.Topic);
        w.WriteString("mac", c.Mac);
        w.WriteString("md", c.Module ?? "Generic");
        w.WriteNumber("ty", 0);
        w.WriteNumber("if", 0);
        w.WriteString("ofln", c.OfflinePayload);
        w.WriteString("onln", c.OnlinePayload);
        w.WriteStartArray("state");
        foreach (var s in c.StateTexts) w.WriteStringValue(s);
        w.WriteEndArray();
        w.WriteString("sw", c.Version ?? "0.0.0");
        w.WriteString("t", c.Topic);
        w.WriteString("ft", c.FullTopic);
        w.WriteStartArray("tp");
        foreach (var p in c.Prefixes) w.WriteStringValue(p);
        w.WriteEndArray();
        w.WriteStartArray("rl");
        for (var i = 0; i < Slots; i++) w.WriteNumberValue(i < c.Relays.Length ? c.Relays[i] : 0);
        w.WriteEndArray();
        w.WriteStartArray("swc");
        for (var i = 0; i < Slots; i++) w.WriteNumberValue(-1);
        w.WriteEndArray();
        w.WriteStartArray("swn");
        for (var i = 0; i < Slots; i++) w.WriteNullValue();
        w.WriteEndArray();
        w.WriteStartArray("btn");
        for (var i = 0; i < Slots; i++) w.WriteNumberValue(0);
        w.WriteEndArray();
        w.WriteStartObject("so");
        foreach (var so in SetOptions) w.WriteNumber(so, 0);
        w.WriteEndObject();
        w.WriteNumber("lk", c.LightSubtype > 0 ? 1 : 0);
        w.WriteNumber("lt_st", c.LightSubtype);
        w.WriteNumber("bat", 0);
        w.WriteNumber("dslp", 0);
        w.WriteStartArray("sho");
        w.WriteEndArray();
        w.WriteStartArray("sht");
        w.WriteEndArray();
        w.WriteNumber("ver", 1);
        w.WriteEndObject();
        w.Flush();
    }
}
