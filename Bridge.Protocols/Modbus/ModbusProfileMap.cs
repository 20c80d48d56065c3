using System.Collections.Concurrent;
using System.Text.Json;
using Bridge.Protocols.Model;

namespace Bridge.Protocols.Modbus;

/// <summary>A profile's "modbus" section: one register per capability, and the blocks that read
/// them all. The bridge's driver and the simulated slaves both use it, so they agree by construction.</summary>
public sealed class ModbusProfileMap
{
    /// <summary>Registers closer than this are read in one block (reading a few unused registers
    /// costs less wire time than another request's header, CRC and turnaround).</summary>
    private const int MaxGap = 4;

    private static readonly ConcurrentDictionary<DeviceProfile, ModbusProfileMap> Cache = new();

    public required IReadOnlyList<ModbusRegister> Registers { get; init; }
    public required IReadOnlyList<ModbusReadBlock> ReadBlocks { get; init; }

    public ModbusRegister? Find(string capability)
    {
        foreach (var r in Registers)
            if (r.Capability.Name == capability) return r;
        return null;
    }

    public static ModbusProfileMap For(DeviceProfile profile) => Cache.GetOrAdd(profile, p => Parse(p, new List<string>()));

    public static ModbusProfileMap Parse(DeviceProfile profile, List<string> problems)
    {
        var registers = new List<ModbusRegister>();
        var m = profile.Mapping;
        if (m.ValueKind != JsonValueKind.Object)
        {
            problems.Add($"profile '{profile.Id}': the 'modbus' mapping section is missing");
            return new ModbusProfileMap { Registers = registers, ReadBlocks = [] };
        }
        foreach (var cap in profile.Capabilities)
        {
            var where = $"profile '{profile.Id}', modbus mapping of '{cap.Name}'";
            if (!m.TryGetProperty(cap.Name, out var c) || c.ValueKind != JsonValueKind.Object)
            {
                problems.Add($"{where}: missing");
                continue;
            }
            if (ReadRegister(cap, c, where, problems) is { } r) registers.Add(r);
        }
        foreach (var p in m.EnumerateObject())
            if (!p.Name.StartsWith("//", StringComparison.Ordinal) && profile.Find(p.Name) is null)
                problems.Add($"profile '{profile.Id}', modbus mapping: '{p.Name}' is not one of the profile's capabilities");
        for (var i = 0; i < registers.Count; i++)
            for (var j = i + 1; j < registers.Count; j++)
                if (registers[i].Table == registers[j].Table && registers[i].Address == registers[j].Address)
                    problems.Add($"profile '{profile.Id}': '{registers[i].Capability.Name}' and '{registers[j].Capability.Name}' share {registers[i].Table} register {registers[i].Address}");
        return new ModbusProfileMap { Registers = registers, ReadBlocks = Blocks(registers) };
    }

    private static ModbusRegister? ReadRegister(Capability cap, JsonElement c, string where, List<string> problems)
    {
        var before = problems.Count;
        var address = c.TryGetProperty("register", out var reg) && reg.TryGetInt32(out var a) ? a : -1;
        if (address is < 0 or > ushort.MaxValue) problems.Add($"{where}: 'register' must be a register address 0..65535");
        var table = ModbusTable.Holding;
        if (c.TryGetProperty("table", out var t))
        {
            switch (t.ValueKind == JsonValueKind.String ? t.GetString() : null)
            {
                case "holding": break;
                case "input": table = ModbusTable.Input; break;
                default: problems.Add($"{where}: 'table' must be 'holding' or 'input'"); break;
            }
        }
        if (table == ModbusTable.Input && !cap.ReadOnly)
            problems.Add($"{where}: an input register is read-only, so the capability must be 'read_only'");
        var scale = 1.0;
        if (c.TryGetProperty("scale", out var s) && (s.ValueKind != JsonValueKind.Number || (scale = s.GetDouble()) <= 0))
            problems.Add($"{where}: 'scale' must be a number above 0");
        var signed = c.TryGetProperty("signed", out var sg) && sg.ValueKind == JsonValueKind.True;

        var to = new Dictionary<string, ushort>(StringComparer.Ordinal);
        var from = new Dictionary<ushort, string>();
        if (cap.Type == CapabilityType.Enum)
        {
            if (!c.TryGetProperty("values", out var values) || values.ValueKind != JsonValueKind.Object)
                problems.Add($"{where}: an enum needs 'values' (capability value → register value)");
            else
            {
                foreach (var v in values.EnumerateObject())
                {
                    if (!v.Value.TryGetUInt16(out var raw)) problems.Add($"{where}: 'values.{v.Name}' must be 0..65535");
                    else if (!from.TryAdd(raw, v.Name)) problems.Add($"{where}: register value {raw} is used twice");
                    else to[v.Name] = raw;
                }
                foreach (var allowed in cap.Values)
                    if (!to.ContainsKey(allowed)) problems.Add($"{where}: 'values' has no entry for '{allowed}'");
            }
        }
        else if (!cap.ReadOnly)
        {
            // Out-of-range values are refused by the capability's range before anything goes on the
            // wire; the range must therefore fit the register, or a valid request could overflow it.
            if (cap.Min is not { } min || cap.Max is not { } max)
                problems.Add($"{where}: a writable number needs 'min' and 'max' on the capability");
            else
            {
                double lo = signed ? short.MinValue : 0, hi = signed ? short.MaxValue : ushort.MaxValue;
                if (min * scale < lo || max * scale > hi)
                    problems.Add($"{where}: {min}..{max} × {scale} does not fit a {(signed ? "signed" : "unsigned")} 16-bit register");
            }
        }
        if (problems.Count > before) return null;
        return new ModbusRegister
        {
            Capability = cap, Table = table, Address = (ushort)address, Scale = scale, Signed = signed, ToDevice = to, FromDevice = from,
        };
    }

    private static List<ModbusReadBlock> Blocks(List<ModbusRegister> registers)
    {
        var blocks = new List<ModbusReadBlock>();
        foreach (var table in new[] { ModbusTable.Holding, ModbusTable.Input })
        {
            int? start = null, end = null;
            foreach (var a in registers.Where(r => r.Table == table).Select(r => (int)r.Address).Order())
            {
                if (start is { } s && end is { } e && a - e <= MaxGap && a - s < ModbusLimits.MaxReadRegisters)
                {
                    end = a;
                    continue;
                }
                if (start is { } s2) blocks.Add(new ModbusReadBlock(table, (ushort)s2, (ushort)(end!.Value - s2 + 1)));
                start = end = a;
            }
            if (start is { } s3) blocks.Add(new ModbusReadBlock(table, (ushort)s3, (ushort)(end!.Value - s3 + 1)));
        }
        return blocks;
    }
}
