using System.Text.Json;

namespace Bridge.Protocols.Model;

public enum CapabilityType { Enum, Int, Number }

/// <summary>A capability of a device with its type and range, as a device profile declares it.</summary>
public sealed class Capability
{
    public required string Name { get; init; }
    public required CapabilityType Type { get; init; }
    public IReadOnlyList<string> Values { get; init; } = [];
    public double? Min { get; init; }
    public double? Max { get; init; }
    public double? Step { get; init; }
    public string? Unit { get; init; }
    public bool ReadOnly { get; init; }

    public string TypeName => Type switch
    {
        CapabilityType.Enum => "enum",
        CapabilityType.Int => "int",
        _ => "number",
    };

    public void WriteTo(Utf8JsonWriter w)
    {
        w.WriteStartObject();
        w.WriteString("type", TypeName);
        if (Type == CapabilityType.Enum)
        {
            w.WriteStartArray("values");
            foreach (var v in Values) w.WriteStringValue(v);
            w.WriteEndArray();
        }
        if (Min is { } min) WriteNumber(w, "min", min);
        if (Max is { } max) WriteNumber(w, "max", max);
        if (Step is { } step) WriteNumber(w, "step", step);
        if (Unit is not null) w.WriteString("unit", Unit);
        if (ReadOnly) w.WriteBoolean("read_only", true);
        w.WriteEndObject();
    }

    private static void WriteNumber(Utf8JsonWriter w, string name, double value)
    {
        w.WritePropertyName(name);
        StateValue.Of(value).WriteTo(w);
    }
}
