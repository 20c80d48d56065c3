using Bridge.Protocols.EspProv.Messages;
using Google.Protobuf;

namespace Bridge.Protocols.EspProv;

/// <summary>Builds and reads the plaintext of <c>prov-config</c> and <c>prov-scan</c> bodies
/// (protocol digest, "Wi-Fi config"): set config, apply, status, scan.</summary>
public static class WifiConfigMessages
{
    public static byte[] SetConfig(string ssid, string passphrase) => new WiFiConfigPayload
    {
        Msg = WiFiConfigMsgType.CmdSetConfig,
        CmdSetConfig = new CmdSetConfig { Ssid = ByteString.CopyFromUtf8(ssid), Passphrase = ByteString.CopyFromUtf8(passphrase) },
    }.ToByteArray();

    public static byte[] ApplyConfig() => new WiFiConfigPayload { Msg = WiFiConfigMsgType.CmdApplyConfig, CmdApplyConfig = new CmdApplyConfig() }.ToByteArray();

    public static byte[] GetStatus() => new WiFiConfigPayload { Msg = WiFiConfigMsgType.CmdGetStatus, CmdGetStatus = new CmdGetStatus() }.ToByteArray();

    /// <summary>Reads a <c>prov-config</c> response and checks it answers <paramref name="expected"/>.</summary>
    public static WiFiConfigPayload ReadResponse(ReadOnlySpan<byte> plain, WiFiConfigMsgType expected)
    {
        var payload = EspProvCodec.Parse(WiFiConfigPayload.Parser, plain, "Wi-Fi config");
        if (payload.Msg != expected) throw new EspProvException($"the device answered Wi-Fi config with {payload.Msg}, not {expected}");
        var status = payload.PayloadCase switch
        {
            WiFiConfigPayload.PayloadOneofCase.RespSetConfig => payload.RespSetConfig.Status,
            WiFiConfigPayload.PayloadOneofCase.RespApplyConfig => payload.RespApplyConfig.Status,
            WiFiConfigPayload.PayloadOneofCase.RespGetStatus => payload.RespGetStatus.Status,
            _ => throw new EspProvException($"the device's Wi-Fi config answer ({expected}) holds no response"),
        };
        if (status != Status.Success) throw new EspProvException($"the device refused {expected} ({status})");
        return payload;
    }

    public static byte[] ScanStart() => new WiFiScanPayload
    {
        Msg = WiFiScanMsgType.CmdScanStart,
        CmdScanStart = new CmdScanStart { Blocking = true, PeriodMs = 120 },
    }.ToByteArray();

    public static byte[] ScanStatus() => new WiFiScanPayload { Msg = WiFiScanMsgType.CmdScanStatus, CmdScanStatus = new CmdScanStatus() }.ToByteArray();

    public static byte[] ScanResult(uint start, uint count) => new WiFiScanPayload
    {
        Msg = WiFiScanMsgType.CmdScanResult,
        CmdScanResult = new CmdScanResult { StartIndex = start, Count = count },
    }.ToByteArray();

    public static WiFiScanPayload ReadScan(ReadOnlySpan<byte> plain, WiFiScanMsgType expected)
    {
        var payload = EspProvCodec.Parse(WiFiScanPayload.Parser, plain, "Wi-Fi scan");
        if (payload.Msg != expected) throw new EspProvException($"the device answered Wi-Fi scan with {payload.Msg}, not {expected}");
        if (payload.Status != Status.Success) throw new EspProvException($"the device refused {expected} ({payload.Status})");
        return payload;
    }
}
