namespace Bridge.Protocols.Tuya;

/// <summary>Tuya LAN command numbers (PROTOCOLS.md §10.1).</summary>
public static class TuyaCommand
{
    public const uint Udp = 0;
    public const uint SessionKeyStart = 3;
    public const uint SessionKeyResponse = 4;
    public const uint SessionKeyFinish = 5;
    public const uint Control = 7;
    public const uint Status = 8;
    public const uint HeartBeat = 9;
    public const uint DpQuery = 0x0A;
    public const uint ControlNew = 0x0D;
    public const uint DpQueryNew = 0x10;
    public const uint UpdateDps = 0x12;
    public const uint UdpNew = 0x13;
    public const uint RequestDeviceInfo = 0x25;
    public const uint LanExtStream = 0x40;

    /// <summary>Commands whose payload carries no clear version header (the 15 bytes <c>"3.x"</c>
    /// + 12 zeros) in 3.3, 3.4 and 3.5 framing.</summary>
    public static bool HasNoVersionHeader(uint command) => command is HeartBeat or DpQuery or DpQueryNew or UpdateDps
        or SessionKeyStart or SessionKeyResponse or SessionKeyFinish or LanExtStream;
}
