using Bridge.Protocols.Model;
using Bridge.Protocols.Modbus;

namespace Bridge.Simulator.Modbus;

/// <summary>One simulated Modbus slave (an AC gateway's unit, a water heater controller) whose
/// registers follow a device profile's "modbus" map, the same one the bridge reads. Writes are
/// checked as a real unit would: unknown or read-only registers get exception 02, values outside
/// the enum table or the capability's range exception 03.</summary>
public sealed class ModbusSlave
{
    private readonly object _sync = new();
    private readonly Dictionary<(ModbusTable, ushort), ushort> _registers = new();
    private readonly Dictionary<ModbusTable, int> _size = new();

    public ModbusSlave(byte id, DeviceProfile profile, IReadOnlyDictionary<string, StateValue>? state = null)
    {
        var problems = new List<string>();
        Map = ModbusProfileMap.Parse(profile, problems);
        if (problems.Count > 0) throw new InvalidDataException(string.Join("; ", problems));
        Id = id;
        Profile = profile;
        // Gateways expose whole register blocks (CoolMasterNet: 16 per unit); unmapped ones read 0.
        foreach (var table in new[] { ModbusTable.Holding, ModbusTable.Input })
        {
            var max = Map.Registers.Where(r => r.Table == table).Select(r => (int)r.Address).DefaultIfEmpty(-1).Max();
            _size[table] = max < 0 ? 0 : (max / 16 + 1) * 16;
        }
        foreach (var r in Map.Registers) Set(r.Capability.Name, state?.GetValueOrDefault(r.Capability.Name) is { } v && (v.IsText || v.Number != 0) ? v : Default(r));
    }

    public byte Id { get; }
    public DeviceProfile Profile { get; }
    public ModbusProfileMap Map { get; }

    /// <summary>Raised after a master wrote registers (capability names changed).</summary>
    public event Action<ModbusSlave>? Written;

    /// <summary>Changes a value on the unit itself (its wall controller, a sensor reading).</summary>
    public void Set(string capability, StateValue value)
    {
        var r = Map.Find(capability) ?? throw new ArgumentException($"no capability '{capability}'", nameof(capability));
        lock (_sync) _registers[(r.Table, r.Address)] = r.Encode(value);
    }

    public StateValue Get(string capability)
    {
        var r = Map.Find(capability) ?? throw new ArgumentException($"no capability '{capability}'", nameof(capability));
        lock (_sync) return r.TryDecode(_registers[(r.Table, r.Address)], out var v) ? v : default;
    }

    /// <summary>A raw register, for tests that put a value the profile doesn't know.</summary>
    public void SetRaw(ModbusTable table, ushort address, ushort value)
    {
        lock (_sync) _registers[(table, address)] = value;
    }

    public ModbusResponse Handle(ModbusRequest request)
    {
        if (request.Problem() is not null) return Fail(request, ModbusExceptionCode.IllegalDataValue);
        switch (request.Function)
        {
            case ModbusFunction.ReadHoldingRegisters or ModbusFunction.ReadInputRegisters:
                var table = request.Function == ModbusFunction.ReadHoldingRegisters ? ModbusTable.Holding : ModbusTable.Input;
                if (request.Address + request.Quantity > _size[table]) return Fail(request, ModbusExceptionCode.IllegalDataAddress);
                var values = new ushort[request.Quantity];
                lock (_sync)
                    for (var i = 0; i < values.Length; i++)
                        values[i] = _registers.GetValueOrDefault((table, (ushort)(request.Address + i)));
                return ModbusResponse.Registers(Id, request.Function, values);
            default:
                var writes = new List<(ModbusRegister Register, ushort Value)>();
                for (var i = 0; i < request.Values.Length; i++)
                {
                    var address = (ushort)(request.Address + i);
                    var r = Map.Registers.FirstOrDefault(x => x.Table == ModbusTable.Holding && x.Address == address);
                    if (r is null || !r.Writable) return Fail(request, ModbusExceptionCode.IllegalDataAddress);
                    if (!r.TryDecode(request.Values[i], out var v) || !InRange(r.Capability, v)) return Fail(request, ModbusExceptionCode.IllegalDataValue);
                    writes.Add((r, request.Values[i]));
                }
                lock (_sync)
                    foreach (var (r, value) in writes) _registers[(r.Table, r.Address)] = value;
                Written?.Invoke(this);
                return ModbusResponse.EchoOf(request) with { Slave = Id };
        }
    }

    private ModbusResponse Fail(ModbusRequest request, ModbusExceptionCode code) => ModbusResponse.Failure(Id, request.Function, code);

    private static bool InRange(Capability c, StateValue v) =>
        c.Type == CapabilityType.Enum || ((c.Min is not { } min || v.Number >= min) && (c.Max is not { } max || v.Number <= max));

    private static StateValue Default(ModbusRegister r) => r.Capability switch
    {
        { Type: CapabilityType.Enum } c => StateValue.Of(c.Values[0]),
        { Min: { } min } => StateValue.Of(min),
        _ => StateValue.Of(21.5),
    };
}
