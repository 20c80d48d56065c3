using System.Globalization;
using System.Text.Json;

namespace Bridge.Simulator.Shelly;

/// <summary>The device-wide answers of a Shelly: GetDeviceInfo, GetStatus, GetConfig, Sys.GetStatus.</summary>
public abstract partial class ShellyDevice
{
    private void WriteDeviceInfo(Utf8JsonWriter w)
    {
        w.WriteStartObject();
        w.WriteString("name", Name);
        w.WriteString("id", Id);
        w.WriteString("mac", Mac);
        w.WriteNumber("slot", 0);
        w.WriteString("model", Model);
        w.WriteNumber("gen", Generation);
        w.WriteString("fw_id", FirmwareId);
        w.WriteString("ver", Version);
        w.WriteString("app", App);
        w.WriteBoolean("auth_en", false);
        w.WriteNull("auth_domain");
        w.WriteEndObject();
    }

    private void WriteStatus(Utf8JsonWriter w)
    {
        w.WriteStartObject();
        w.WriteStartObject("ble");
        w.WriteEndObject();
        w.WriteStartObject("cloud");
        w.WriteBoolean("connected", false);
        w.WriteEndObject();
        w.WriteStartObject(Component);
        WriteComponentStatus(w);
        w.WriteEndObject();
        w.WriteStartObject("mqtt");
        w.WriteBoolean("connected", IsConnected);
        w.WriteEndObject();
        w.WritePropertyName("sys");
        WriteSys(w);
        w.WriteStartObject("wifi");
        w.WriteString("sta_ip", IpAddress);
        w.WriteString("status", "got ip");
        w.WriteString("ssid", "Home");
        w.WriteNumber("rssi", -54);
        w.WriteEndObject();
        w.WriteStartObject("ws");
        w.WriteBoolean("connected", false);
        w.WriteEndObject();
        w.WriteEndObject();
    }

    private void WriteSys(Utf8JsonWriter w)
    {
        var now = Time.GetUtcNow();
        Span<char> hhmm = stackalloc char[8];
        Time.GetLocalNow().TryFormat(hhmm, out var n, "HH:mm", CultureInfo.InvariantCulture);
        w.WriteStartObject();
        w.WriteString("mac", Mac);
        w.WriteBoolean("restart_required", false);
        w.WriteString("time", hhmm[..n]);
        w.WriteNumber("unixtime", now.ToUnixTimeSeconds());
        w.WriteNumber("uptime", (long)(now - StartedAt).TotalSeconds);
        w.WriteNumber("ram_size", 262144);
        w.WriteNumber("ram_free", 147436);
        w.WriteNumber("fs_size", 458752);
        w.WriteNumber("fs_free", 176128);
        w.WriteNumber("cfg_rev", 12);
        w.WriteNumber("kvs_rev", 0);
        w.WriteNumber("schedule_rev", 0);
        w.WriteNumber("webhook_rev", 0);
        w.WriteStartObject("available_updates");
        w.WriteEndObject();
        w.WriteEndObject();
    }

    private void WriteConfig(Utf8JsonWriter w)
    {
        w.WriteStartObject();
        w.WriteStartObject(Component);
        WriteComponentConfig(w);
        w.WriteEndObject();
        w.WritePropertyName("mqtt");
        _storedMqtt.Write(w);
        w.WriteStartObject("sys");
        w.WriteStartObject("device");
        w.WriteString("name", Name);
        w.WriteString("mac", Mac);
        w.WriteString("fw_id", FirmwareId);
        w.WriteBoolean("discoverable", true);
        w.WriteEndObject();
        w.WriteEndObject();
        w.WriteEndObject();
    }
}
