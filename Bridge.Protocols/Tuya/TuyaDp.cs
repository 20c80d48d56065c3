using System.Globalization;
using System.Text.Json;

namespace Bridge.Protocols.Tuya;

/// <summary>The value of one Tuya data point: a boolean, a number (integers, sometimes scaled by
/// the profile) or a string (enums such as work_mode, HSV hex).</summary>
public readonly record struct TuyaDpValue
{
    public JsonValueKind Kind { get; private init; }
    public bool Bool { get; private init; }
    public double Number { get; private init; }
    public string? Text { get; private init; }

    public static TuyaDpValue Of(bool b) => new() { Kind = b ? JsonValueKind.True : JsonValueKind.False, Bool = b };
    public static TuyaDpValue Of(double n) => new() { Kind = JsonValueKind.Number, Number = n };
    public static TuyaDpValue Of(string s) => new() { Kind = JsonValueKind.String, Text = s };

    public bool IsBool => Kind is JsonValueKind.True or JsonValueKind.False;

    public static bool TryRead(JsonElement e, out TuyaDpValue value)
    {
        switch (e.ValueKind)
        {
            case JsonValueKind.True or JsonValueKind.False: value = Of(e.GetBoolean()); return true;
            case JsonValueKind.Number when e.TryGetDouble(out var d) && double.IsFinite(d): value = Of(d); return true;
            case JsonValueKind.String: value = Of(e.GetString()!); return true;
            default: value = default; return false;
        }
    }

    public void WriteTo(Utf8JsonWriter w)
    {
        switch (Kind)
        {
            case JsonValueKind.True or JsonValueKind.False: w.WriteBooleanValue(Bool); break;
            case JsonValueKind.Number:
                if (Number == Math.Floor(Number) && Math.Abs(Number) < 1e15) w.WriteNumberValue((long)Number);
                else w.WriteNumberValue(Number);
                break;
            case JsonValueKind.String: w.WriteStringValue(Text); break;
            default: w.WriteNullValue(); break;
        }
    }

    public override string ToString() => Kind switch
    {
        JsonValueKind.True or JsonValueKind.False => Bool ? "true" : "false",
        JsonValueKind.Number => Number.ToString(CultureInfo.InvariantCulture),
        _ => Text ?? "null",
    };
}
