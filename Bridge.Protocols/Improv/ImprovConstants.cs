namespace Bridge.Protocols.Improv;

/// <summary>What each byte of an Improv Wi-Fi serial packet means (PROTOCOLS.md, Improv Wi-Fi over
/// serial: packet, states, errors and RPC commands).</summary>
public enum ImprovPacketType : byte
{
    CurrentState = 0x01,
    ErrorState = 0x02,
    Rpc = 0x03,
    RpcResult = 0x04,
}

/// <summary>The device's provisioning state as it reports it.</summary>
public enum ImprovState : byte
{
    Stopped = 0x00,
    AwaitingAuthorization = 0x01,
    Ready = 0x02,
    Provisioning = 0x03,
    Provisioned = 0x04,
}

/// <summary>The error a device reports; <see cref="None"/> clears the previous one.</summary>
public enum ImprovError : byte
{
    None = 0x00,
    InvalidRpc = 0x01,
    UnknownCommand = 0x02,
    UnableToConnect = 0x03,
    NotAuthorized = 0x04,
    BadHostname = 0x05,
    Unknown = 0xFF,
}

/// <summary>The RPC commands a client sends.</summary>
public enum ImprovCommand : byte
{
    SendWifiSettings = 0x01,
    RequestCurrentState = 0x02,
    RequestDeviceInfo = 0x03,
    RequestWifiNetworks = 0x04,
    Hostname = 0x05,
    DeviceName = 0x06,
    NetworkState = 0x07,
}

/// <summary>Limits and fixed bytes of the serial framing.</summary>
public static class ImprovLimits
{
    /// <summary>ASCII <c>IMPROV</c>, the start of every packet.</summary>
    public static ReadOnlySpan<byte> Magic => "IMPROV"u8;

    public const byte Version = 0x01;

    /// <summary>Magic, version, type and length.</summary>
    public const int HeaderLength = 9;

    /// <summary>The longest data a one-byte length allows.</summary>
    public const int MaxData = 255;

    /// <summary>A whole packet with the trailing newline: header, data, checksum, 0x0A.</summary>
    public const int MaxPacket = HeaderLength + MaxData + 2;

    /// <summary>Real firmware sends, and Tasmota waits for, a newline after the checksum.</summary>
    public const byte Newline = 0x0A;

    /// <summary>An SSID is at most 32 bytes (IEEE 802.11).</summary>
    public const int MaxSsidBytes = 32;

    /// <summary>A WPA passphrase is at most 63 characters (64 hex digits for a raw key).</summary>
    public const int MaxPasswordBytes = 64;
}
