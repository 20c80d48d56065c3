using Bridge.Protocols.Model;

namespace Bridge.Protocols.Modbus;

/// <summary>The two register tables the bridge reads: holding (FC 03, writable with FC 06/10) and input (FC 04, read-only).</summary>
public enum ModbusTable { Holding, Input }

/// <summary>Where one capability lives in a Modbus device and how its value translates:
/// enums through a value table, numbers through a scale (e.g. ×10 for tenths of a degree).</summary>
public sealed class ModbusRegister
{
    public required Capability Capability { get; init; }
    public required ModbusTable Table { get; init; }
    public required ushort Address { get; init; }
    /// <summary>Register value = capability value × Scale.</summary>
    public double Scale { get; init; } = 1;
    /// <summary>The register holds a two's-complement value (temperatures below zero).</summary>
    public bool Signed { get; init; }
    public IReadOnlyDictionary<string, ushort> ToDevice { get; init; } = new Dictionary<string, ushort>();
    public IReadOnlyDictionary<ushort, string> FromDevice { get; init; } = new Dictionary<ushort, string>();

    public bool Writable => Table == ModbusTable.Holding && !Capability.ReadOnly;

    /// <summary>The register value for a capability value already checked against the capability.</summary>
    public ushort Encode(StateValue value)
    {
        if (Capability.Type == CapabilityType.Enum) return ToDevice[value.Text!];
        var raw = (long)Math.Round(value.Number * Scale, MidpointRounding.AwayFromZero);
        return Signed ? unchecked((ushort)(short)Math.Clamp(raw, short.MinValue, short.MaxValue)) : (ushort)Math.Clamp(raw, 0, ushort.MaxValue);
    }

    /// <summary>The capability value a register holds; false for an enum value the map doesn't know.</summary>
    public bool TryDecode(ushort raw, out StateValue value)
    {
        if (Capability.Type == CapabilityType.Enum)
        {
            var known = FromDevice.TryGetValue(raw, out var text);
            value = known ? StateValue.Of(text!) : default;
            return known;
        }
        int number = Signed ? (short)raw : raw;
        value = StateValue.Of(Math.Round(number / Scale, 6));
        return true;
    }

    /// <summary>What the device will report after being written <paramref name="requested"/> (the scale's rounding).</summary>
    public StateValue RoundTrip(StateValue requested) =>
        Capability.Type == CapabilityType.Enum ? requested : TryDecode(Encode(requested), out var v) ? v : requested;
}

/// <summary>A block of consecutive registers read in one request.</summary>
public readonly record struct ModbusReadBlock(ModbusTable Table, ushort Start, ushort Count)
{
    public ModbusRequest Request(byte slave) =>
        Table == ModbusTable.Holding ? ModbusRequest.ReadHolding(slave, Start, Count) : ModbusRequest.ReadInput(slave, Start, Count);

    public bool Contains(ModbusRegister r) => r.Table == Table && r.Address >= Start && r.Address < Start + Count;
}
