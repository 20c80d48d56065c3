using Bridge.Protocols.Model;
using Bridge.Protocols.Modbus;

namespace Bridge.Service.Drivers.Modbus;

/// <summary>Reads every register of a device's map, block by block, into capability values.</summary>
public static class ModbusStateReader
{
    /// <summary>The device's state as its registers say; <paramref name="unknown"/> gets registers
    /// holding a value the profile's enum table doesn't know (left out of the state).</summary>
    public static async Task<List<KeyValuePair<string, StateValue>>> ReadAsync(ModbusMaster master, SerialDevice device, List<string> unknown, CancellationToken ct)
    {
        var state = new List<KeyValuePair<string, StateValue>>(device.Map.Registers.Count);
        foreach (var block in device.Map.ReadBlocks)
        {
            var reply = await master.TransactAsync(block.Request(device.Slave), ct).ConfigureAwait(false);
            foreach (var register in device.Map.Registers)
            {
                if (!block.Contains(register)) continue;
                var raw = reply.Values[register.Address - block.Start];
                if (register.TryDecode(raw, out var value)) state.Add(new(register.Capability.Name, value));
                else unknown.Add($"{register.Table} register {register.Address} holds {raw}, which '{register.Capability.Name}' does not map");
            }
        }
        return state;
    }
}
