namespace Bridge.Protocols.Modbus;

/// <summary>Exception codes a slave answers with (function code | 0x80, then the code).</summary>
public enum ModbusExceptionCode : byte
{
    IllegalFunction = 0x01,
    IllegalDataAddress = 0x02,
    IllegalDataValue = 0x03,
    ServerDeviceFailure = 0x04,
    Acknowledge = 0x05,
    ServerDeviceBusy = 0x06,
    MemoryParityError = 0x08,
    GatewayPathUnavailable = 0x0A,
    GatewayTargetFailedToRespond = 0x0B,
}

public static class ModbusExceptionCodes
{
    /// <summary>Words for people (logs and error replies).</summary>
    public static string Describe(ModbusExceptionCode code) => code switch
    {
        ModbusExceptionCode.IllegalFunction => "illegal function (the device does not support this request)",
        ModbusExceptionCode.IllegalDataAddress => "illegal data address (no such register on the device)",
        ModbusExceptionCode.IllegalDataValue => "illegal data value (the device refused the value)",
        ModbusExceptionCode.ServerDeviceFailure => "server device failure",
        ModbusExceptionCode.Acknowledge => "acknowledge (the device is still working on it)",
        ModbusExceptionCode.ServerDeviceBusy => "server device busy",
        ModbusExceptionCode.MemoryParityError => "memory parity error",
        ModbusExceptionCode.GatewayPathUnavailable => "gateway path unavailable",
        ModbusExceptionCode.GatewayTargetFailedToRespond => "gateway target device failed to respond",
        _ => $"exception code 0x{(byte)code:X2}",
    };
}
