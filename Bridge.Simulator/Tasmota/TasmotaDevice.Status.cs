using System.Globalization;
using System.Text.Json;
using Bridge.Protocols.Tasmota;

namespace Bridge.Simulator.Tasmota;

/// <summary>The STATE, SENSOR and Status payloads of a Tasmota device.</summary>
public abstract partial class TasmotaDevice
{
    /// <summary>The full STATE object (also the answer to the <c>STATE</c> command).</summary>
    private protected void WriteState(Utf8JsonWriter w)
    {
        w.WriteStartObject();
        WriteStateBody(w);
        w.WriteEndObject();
    }

    private void WriteStateBody(Utf8JsonWriter w)
    {
        var now = Time.GetLocalNow();
        TasmotaJson.WriteTime(w, now);
        TasmotaJson.WriteUptime(w, Time.GetUtcNow() - StartedAt);
        w.WriteNumber("Heap", 27);
        w.WriteString("SleepMode", "Dynamic");
        w.WriteNumber("Sleep", 50);
        w.WriteNumber("LoadAvg", 19);
        w.WriteNumber("MqttCount", Math.Max(1, ConnectCount));
        WriteStateFields(w);
        w.WriteStartObject("Wifi");
        w.WriteNumber("AP", 1);
        w.WriteString("SSId", "Home");
        w.WriteString("BSSId", "02:00:00:00:00:01");
        w.WriteNumber("Channel", 6);
        w.WriteString("Mode", "11n");
        w.WriteNumber("RSSI", 86);
        w.WriteNumber("Signal", -57);
        w.WriteNumber("LinkCount", 1);
        w.WriteString("Downtime", "0T00:00:03");
        w.WriteEndObject();
    }

    private void WriteSensorBody(Utf8JsonWriter w)
    {
        TasmotaJson.WriteTime(w, Time.GetLocalNow());
        WriteSensorFields(w);
        w.WriteString("TempUnit", "C");
    }

    /// <summary><c>Status</c>: 0 all, 5 network, 8/10 sensors, 11 state, else the basic block. Answered on <c>stat/&lt;t&gt;/STATUS&lt;n&gt;</c>.</summary>
    private string WriteStatus(ReadOnlySpan<byte> arg, Utf8JsonWriter w)
    {
        var n = TasmotaArgs.TryInt(arg, out var v) ? v : -1;
        w.WriteStartObject();
        if (n is 0 or -1 or 1 or 2 or 3 or 4 or 6 or 7 or 9)
        {
            w.WriteStartObject("Status");
            w.WriteNumber("Module", 0);
            w.WriteString("DeviceName", Name);
            w.WriteStartArray("FriendlyName");
            w.WriteStringValue(Name);
            w.WriteEndArray();
            w.WriteString("Topic", Id);
            w.WriteString("ButtonTopic", "0");
            w.WriteNumber("Power", PowerBits());
            w.WriteNumber("PowerOnState", 3);
            w.WriteNumber("LedState", 1);
            w.WriteNumber("SaveData", 1);
            w.WriteNumber("SaveState", 1);
            w.WriteNumber("ButtonRetain", 0);
            w.WriteNumber("PowerRetain", 0);
            w.WriteEndObject();
        }
        if (n is 0 or 5)
        {
            w.WriteStartObject("StatusNET");
            w.WriteString("Hostname", Hostname);
            w.WriteString("IPAddress", IpAddress);
            w.WriteString("Mac", FormatMac(Mac));
            w.WriteEndObject();
        }
        if (n is 0 or 2)
        {
            w.WriteStartObject("StatusFWR");
            w.WriteString("Version", FirmwareVersion + "(tasmota)");
            w.WriteString("Hardware", "ESP8266EX");
            w.WriteEndObject();
        }
        if (n is 0 or 6)
        {
            // The user and password are never shown; MqttUser is (as Tasmota does).
            var mqtt = MqttSettings;
            w.WriteStartObject("StatusMQT");
            w.WriteString("MqttHost", mqtt.Host);
            w.WriteNumber("MqttPort", mqtt.Port);
            w.WriteString("MqttClientMask", "DVES_%06X");
            w.WriteString("MqttClient", "DVES_" + Mac[^6..]);
            w.WriteString("MqttUser", mqtt.User);
            w.WriteNumber("MqttCount", ConnectCount);
            w.WriteNumber("MAX_PACKET_SIZE", 1200);
            w.WriteNumber("KEEPALIVE", 30);
            w.WriteNumber("SOCKET_TIMEOUT", 4);
            w.WriteEndObject();
        }
        if (n is 0 or 8 or 10)
        {
            w.WriteStartObject("StatusSNS");
            WriteSensorBody(w);
            w.WriteEndObject();
        }
        if (n is 0 or 11)
        {
            w.WriteStartObject("StatusSTS");
            WriteStateBody(w);
            w.WriteEndObject();
        }
        w.WriteEndObject();
        var last = n switch { -1 => "STATUS", 8 => "STATUS10", _ => "STATUS" + n.ToString(CultureInfo.InvariantCulture) };
        return TasmotaTopics.Default(TasmotaTopics.Status, Id, last);
    }

    private static string FormatMac(string mac) =>
        mac.Length == 12 ? string.Join(':', Enumerable.Range(0, 6).Select(i => mac.Substring(i * 2, 2))) : mac;
}
