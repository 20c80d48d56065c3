using Bridge.Protocols.Modbus;

namespace Bridge.Service.Drivers.Modbus;

/// <summary>A slave did not answer (after every retry).</summary>
public sealed class ModbusTimeoutException(string message) : Exception(message);

/// <summary>A slave answered with a Modbus exception response.</summary>
public sealed class ModbusDeviceException(byte slave, ModbusExceptionCode code)
    : Exception($"slave {slave} answered: {ModbusExceptionCodes.Describe(code)}")
{
    public byte Slave { get; } = slave;
    public ModbusExceptionCode Code { get; } = code;
}

/// <summary>The serial line itself went away (port closed, USB adapter unplugged).</summary>
public sealed class SerialLineLostException(string message, Exception? inner = null) : IOException(message, inner);
