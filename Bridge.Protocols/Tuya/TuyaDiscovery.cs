using System.Buffers;
using System.Net;
using System.Text.Json;

namespace Bridge.Protocols.Tuya;

/// <summary>Tuya's discovery datagrams (PROTOCOLS.md §10.1): 3.1 devices broadcast plaintext 55AA
/// frames to UDP 6666; 3.3/3.4 broadcast to 6667 a 55AA frame whose payload is AES-ECB under
/// MD5("yGAdlopoPVldABfn"); 3.5 devices send 6699/GCM frames under the same key, and newer ones only
/// answer a REQ_DEVINFO (0x25) sent to broadcast:7000, unicast back to port 7000. Parsing never throws.</summary>
public static class TuyaDiscovery
{
    public const int PlainPort = 6666;
    public const int EncryptedPort = 6667;
    public const int DeviceInfoPort = 7000;

    /// <summary>Reads a broadcast (or a REQ_DEVINFO answer). False, with the reason, for anything
    /// else: garbage, a frame whose CRC or tag fails, JSON without a device id or address.</summary>
    public static bool TryParse(ReadOnlySpan<byte> datagram, out TuyaAnnouncement? announcement, out string error)
    {
        announcement = null;
        if (datagram.Length < 4) { error = "too short for a Tuya frame"; return false; }
        var gcm = datagram[2] == 0x66;
        var status = TuyaFrameCodec.TryDecode(datagram, gcm ? TuyaIntegrity.Gcm : TuyaIntegrity.Crc, TuyaKeys.UdpKey, fromDevice: true, out var frame, out _, out error);
        if (status != TuyaDecodeStatus.Frame)
        {
            if (status == TuyaDecodeStatus.NeedMore) error = "a truncated Tuya frame";
            return false;
        }
        byte[] json = frame.Payload;
        if (!gcm && json.Length > 0 && json[0] != (byte)'{')
        {
            if (json.Length % 16 != 0) { error = "an encrypted broadcast that is not whole AES blocks"; return false; }
            try
            {
                json = TuyaCodec.EcbDecrypt(TuyaKeys.UdpKey, json);
            }
            catch (System.Security.Cryptography.CryptographicException)
            {
                error = "a broadcast that does not decrypt with the broadcast key";
                return false;
            }
        }
        return TryRead(json, defaultVersion: gcm ? TuyaVersion.V35 : json.Length > 0 && frame.Payload[0] == (byte)'{' ? TuyaVersion.V31 : TuyaVersion.V33,
            out announcement, out error);
    }

    private static bool TryRead(ReadOnlySpan<byte> json, TuyaVersion defaultVersion, out TuyaAnnouncement? announcement, out string error)
    {
        announcement = null;
        error = "";
        var end = json.LastIndexOf((byte)'}');
        if (end < 0) { error = "a broadcast without a JSON object"; return false; }
        try
        {
            using var doc = JsonDocument.Parse(json[..(end + 1)].ToArray());
            var root = doc.RootElement;
            if (root.ValueKind != JsonValueKind.Object) { error = "a broadcast without a JSON object"; return false; }
            var id = Str(root, "gwId") ?? Str(root, "devId");
            var ip = Str(root, "ip");
            if (string.IsNullOrEmpty(id) || id.Length > 64 || !id.All(char.IsAsciiLetterOrDigit)) { error = "a broadcast without a valid gwId"; return false; }
            if (ip is null || !IPAddress.TryParse(ip, out var address) || address.AddressFamily != System.Net.Sockets.AddressFamily.InterNetwork)
            {
                error = $"broadcast of {id} without a valid IPv4 ip";
                return false;
            }
            var versionText = Str(root, "version");
            var version = defaultVersion;
            if (versionText is not null && !TuyaVersions.TryParse(versionText, out version))
            {
                error = $"broadcast of {id} names unknown protocol version '{versionText[..Math.Min(8, versionText.Length)]}'";
                return false;
            }
            announcement = new TuyaAnnouncement(id, address.ToString(), Str(root, "productKey"), version) { VersionText = versionText ?? version.Text() };
            return true;
        }
        catch (JsonException e)
        {
            error = "bad JSON in a broadcast: " + e.Message;
            return false;
        }
    }

    /// <summary>The broadcast a device of <paramref name="a"/>'s version sends (for the simulator).</summary>
    public static byte[] Write(TuyaAnnouncement a)
    {
        var json = TuyaJson.Write(w =>
        {
            w.WriteString("ip", a.Ip);
            w.WriteString("gwId", a.DeviceId);
            w.WriteNumber("active", 2);
            w.WriteNumber("ablilty", 0);
            w.WriteBoolean("encrypt", a.Version != TuyaVersion.V31);
            if (a.ProductKey is not null) w.WriteString("productKey", a.ProductKey);
            w.WriteString("version", a.VersionText);
        });
        var output = new ArrayBufferWriter<byte>(256);
        switch (a.Version)
        {
            case TuyaVersion.V31:
                TuyaFrameCodec.Write55AA(output, 0, TuyaCommand.Udp, 0, json, []);
                break;
            case TuyaVersion.V35:
                TuyaFrameCodec.Write6699(output, 0, TuyaCommand.UdpNew, 0, json, TuyaKeys.UdpKey, System.Security.Cryptography.RandomNumberGenerator.GetBytes(12));
                break;
            default:
                TuyaFrameCodec.Write55AA(output, 0, TuyaCommand.UdpNew, 0, TuyaCodec.EcbEncrypt(TuyaKeys.UdpKey, json), []);
                break;
        }
        return output.WrittenSpan.ToArray();
    }

    /// <summary>The bridge's REQ_DEVINFO to broadcast:7000, naming the address to answer.</summary>
    public static byte[] WriteDeviceInfoRequest(IPAddress replyTo)
    {
        var json = TuyaJson.Write(w =>
        {
            w.WriteString("from", "app");
            w.WriteString("ip", replyTo.ToString());
        });
        var output = new ArrayBufferWriter<byte>(128);
        TuyaFrameCodec.Write6699(output, 0, TuyaCommand.RequestDeviceInfo, null, json, TuyaKeys.UdpKey, System.Security.Cryptography.RandomNumberGenerator.GetBytes(12));
        return output.WrittenSpan.ToArray();
    }

    /// <summary>Whether a datagram is a REQ_DEVINFO (what a 3.5 device answers).</summary>
    public static bool IsDeviceInfoRequest(ReadOnlySpan<byte> datagram) =>
        TuyaFrameCodec.TryDecode(datagram, TuyaIntegrity.Gcm, TuyaKeys.UdpKey, fromDevice: false, out var f, out _, out _) == TuyaDecodeStatus.Frame
        && f.Command == TuyaCommand.RequestDeviceInfo;

    private static string? Str(JsonElement o, string name) =>
        o.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;
}
