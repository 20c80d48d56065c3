using Bridge.Protocols.Modbus;

namespace Bridge.Service.Drivers.Modbus;

/// <summary>Turns capability changes into write requests: consecutive registers in one FC 0x10,
/// a lone register with FC 0x06 (the function every gateway supports).</summary>
public static class ModbusWrites
{
    public static List<ModbusRequest> For(ModbusProfileMap map, byte slave, IReadOnlyList<Change> changes)
    {
        var values = new SortedDictionary<ushort, ushort>();
        foreach (var c in changes)
        {
            var register = map.Find(c.Capability.Name)!;
            values[register.Address] = register.Encode(c.Value);
        }
        var requests = new List<ModbusRequest>();
        var run = new List<ushort>();
        ushort start = 0;
        foreach (var (address, value) in values)
        {
            if (run.Count > 0 && (address != start + run.Count || run.Count == ModbusLimits.MaxWriteRegisters))
            {
                requests.Add(Request(slave, start, run));
                run.Clear();
            }
            if (run.Count == 0) start = address;
            run.Add(value);
        }
        if (run.Count > 0) requests.Add(Request(slave, start, run));
        return requests;
    }

    private static ModbusRequest Request(byte slave, ushort start, List<ushort> run) =>
        run.Count == 1 ? ModbusRequest.WriteSingle(slave, start, run[0]) : ModbusRequest.WriteMultiple(slave, start, run.ToArray());
}
