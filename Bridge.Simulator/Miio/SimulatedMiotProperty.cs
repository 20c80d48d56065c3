using System.Text.Json;

namespace Bridge.Simulator.Miio;

/// <summary>One MIoT property of a simulated Xiaomi device (service id, property id): its value, whether
/// it may be written, and the range a written number must keep. A write of another JSON type, a
/// fraction where an integer is kept, or a number out of range is refused with −4005, as devices do.</summary>
public sealed class SimulatedMiotProperty(int siid, int piid, JsonElement value, bool writable = true, double? min = null, double? max = null, bool integer = false)
{
    public int Siid { get; } = siid;
    public int Piid { get; } = piid;
    public bool Writable { get; } = writable;
    public double? Min { get; } = min;
    public double? Max { get; } = max;
    private readonly bool _integer = integer;
    public JsonElement Value { get; internal set; } = value;

    public static SimulatedMiotProperty Of<T>(int siid, int piid, T value, bool writable = true, double? min = null, double? max = null) =>
        new(siid, piid, JsonSerializer.SerializeToElement(value), writable, min, max, value is int or long);

    /// <summary>Whether <paramref name="v"/> is a value this property can take.</summary>
    public bool Accepts(JsonElement v)
    {
        var kind = Value.ValueKind is JsonValueKind.True or JsonValueKind.False ? "bool" : Value.ValueKind.ToString();
        var given = v.ValueKind is JsonValueKind.True or JsonValueKind.False ? "bool" : v.ValueKind.ToString();
        if (kind != given) return false;
        if (v.ValueKind != JsonValueKind.Number) return true;
        if (_integer && !v.TryGetInt64(out _)) return false;
        var n = v.GetDouble();
        return (Min is null || n >= Min) && (Max is null || n <= Max);
    }
}
