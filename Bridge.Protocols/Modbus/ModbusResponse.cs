namespace Bridge.Protocols.Modbus;

/// <summary>One reply from a slave: registers read, the echo of a write, or an exception.
/// For reads <see cref="Values"/> holds the registers; for FC 0x06 the written value;
/// for FC 0x10 it is empty and <see cref="Quantity"/> is the count written.</summary>
public sealed record ModbusResponse(byte Slave, ModbusFunction Function, ModbusExceptionCode? Exception, ushort Address, ushort Quantity, ushort[] Values)
{
    public static ModbusResponse Registers(byte slave, ModbusFunction function, ushort[] values) =>
        new(slave, function, null, 0, (ushort)values.Length, values);

    public static ModbusResponse Failure(byte slave, ModbusFunction function, ModbusExceptionCode code) =>
        new(slave, function, code, 0, 0, []);

    /// <summary>The normal reply a correct slave gives to <paramref name="request"/> (writes echo; reads carry values).</summary>
    public static ModbusResponse EchoOf(ModbusRequest request) => request.Function switch
    {
        ModbusFunction.WriteSingleRegister => new(request.Slave, request.Function, null, request.Address, 1, request.Values),
        ModbusFunction.WriteMultipleRegisters => new(request.Slave, request.Function, null, request.Address, request.Quantity, []),
        _ => throw new ArgumentException("only writes are echoed", nameof(request)),
    };

    public bool IsException => Exception is not null;

    /// <summary>Whether this reply answers <paramref name="request"/>: same slave and function,
    /// the register count asked for, and for writes the echo of what was written.</summary>
    public bool Answers(ModbusRequest request)
    {
        if (Slave != request.Slave || Function != request.Function) return false;
        if (IsException) return true;
        return Function switch
        {
            ModbusFunction.ReadHoldingRegisters or ModbusFunction.ReadInputRegisters => Values.Length == request.Quantity,
            ModbusFunction.WriteSingleRegister => Address == request.Address && Values.Length == 1 && Values[0] == request.Values[0],
            _ => Address == request.Address && Quantity == request.Quantity,
        };
    }

    public bool Equals(ModbusResponse? other) =>
        other is not null && Slave == other.Slave && Function == other.Function && Exception == other.Exception &&
        Address == other.Address && Quantity == other.Quantity && Values.AsSpan().SequenceEqual(other.Values);

    public override int GetHashCode() => HashCode.Combine(Slave, Function, Exception, Address, Quantity, Values.Length);
}
