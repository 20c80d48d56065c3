namespace Bridge.Protocols.Modbus;

/// <summary>One request from master to slave. <see cref="Quantity"/> is the register count for reads
/// and FC 0x10; <see cref="Values"/> holds the value for FC 0x06 (one) and FC 0x10 (Quantity).</summary>
public sealed record ModbusRequest(byte Slave, ModbusFunction Function, ushort Address, ushort Quantity, ushort[] Values)
{
    public static ModbusRequest ReadHolding(byte slave, ushort start, ushort count) =>
        new(slave, ModbusFunction.ReadHoldingRegisters, start, count, []);

    public static ModbusRequest ReadInput(byte slave, ushort start, ushort count) =>
        new(slave, ModbusFunction.ReadInputRegisters, start, count, []);

    public static ModbusRequest WriteSingle(byte slave, ushort address, ushort value) =>
        new(slave, ModbusFunction.WriteSingleRegister, address, 1, [value]);

    public static ModbusRequest WriteMultiple(byte slave, ushort start, ushort[] values) =>
        new(slave, ModbusFunction.WriteMultipleRegisters, start, (ushort)values.Length, values);

    public bool IsRead => Function is ModbusFunction.ReadHoldingRegisters or ModbusFunction.ReadInputRegisters;

    /// <summary>Null when the request can be sent; otherwise why not (quantity limits, slave id).</summary>
    public string? Problem() => Function switch
    {
        _ when Slave > ModbusLimits.MaxSlaveId => $"slave id {Slave} is above {ModbusLimits.MaxSlaveId}",
        ModbusFunction.ReadHoldingRegisters or ModbusFunction.ReadInputRegisters when Quantity is < 1 or > ModbusLimits.MaxReadRegisters =>
            $"a read covers 1..{ModbusLimits.MaxReadRegisters} registers, not {Quantity}",
        ModbusFunction.WriteSingleRegister when Values.Length != 1 => "a single write carries one value",
        ModbusFunction.WriteMultipleRegisters when Quantity is < 1 or > ModbusLimits.MaxWriteRegisters || Values.Length != Quantity =>
            $"a multiple write carries 1..{ModbusLimits.MaxWriteRegisters} values, one per register",
        _ when Address + Math.Max(1, (int)Quantity) - 1 > ushort.MaxValue => "the registers run past 65535",
        _ => null,
    };

    public bool Equals(ModbusRequest? other) =>
        other is not null && Slave == other.Slave && Function == other.Function && Address == other.Address &&
        Quantity == other.Quantity && Values.AsSpan().SequenceEqual(other.Values);

    public override int GetHashCode() => HashCode.Combine(Slave, Function, Address, Quantity, Values.Length);
}
