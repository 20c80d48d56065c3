namespace Bridge.Protocols.Modbus;

/// <summary>The function codes the bridge speaks (Modbus Application Protocol V1.1b3 §6).</summary>
public enum ModbusFunction : byte
{
    ReadHoldingRegisters = 0x03,
    ReadInputRegisters = 0x04,
    WriteSingleRegister = 0x06,
    WriteMultipleRegisters = 0x10,
}

/// <summary>Limits and framing constants of Modbus RTU.</summary>
public static class ModbusLimits
{
    /// <summary>Largest RTU frame: address, PDU of at most 253 bytes, CRC.</summary>
    public const int MaxFrame = 256;
    public const int MaxReadRegisters = 125;
    public const int MaxWriteRegisters = 123;
    public const byte ExceptionFlag = 0x80;
    public const byte MaxSlaveId = 247;

    public static bool IsKnown(byte function) => function is 0x03 or 0x04 or 0x06 or 0x10;
}
