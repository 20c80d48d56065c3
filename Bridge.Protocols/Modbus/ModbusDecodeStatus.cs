namespace Bridge.Protocols.Modbus;

/// <summary>What a decode attempt found at the start of the input.</summary>
public enum ModbusDecodeStatus
{
    /// <summary>Could be the start of a frame; wait for more bytes (nothing consumed).</summary>
    Incomplete,
    /// <summary>A whole frame with a good CRC.</summary>
    Frame,
    /// <summary>Not a frame here (bad CRC, impossible header): drop the bytes consumed and try again.</summary>
    Invalid,
}
