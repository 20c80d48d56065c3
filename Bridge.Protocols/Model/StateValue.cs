using System.Globalization;
using System.Text.Json;

namespace Bridge.Protocols.Model;

/// <summary>One capability value: text for enums, a number for int and number capabilities.
/// A struct so the command path carries values without boxing.</summary>
public readonly struct StateValue : IEquatable<StateValue>
{
    private StateValue(string? text, double number)
    {
        Text = text;
        Number = number;
    }

    public string? Text { get; }
    public double Number { get; }
    public bool IsText => Text is not null;

    public static StateValue Of(string text) => new(text ?? throw new ArgumentNullException(nameof(text)), 0);
    public static StateValue Of(double number) => new(null, number);

    public bool Equals(StateValue other) =>
        IsText ? other.IsText && string.Equals(Text, other.Text, StringComparison.Ordinal)
               : !other.IsText && Math.Abs(Number - other.Number) < 1e-9;

    public override bool Equals(object? obj) => obj is StateValue v && Equals(v);
    public override int GetHashCode() => IsText ? Text!.GetHashCode(StringComparison.Ordinal) : Number.GetHashCode();
    public static bool operator ==(StateValue a, StateValue b) => a.Equals(b);
    public static bool operator !=(StateValue a, StateValue b) => !a.Equals(b);

    public void WriteTo(Utf8JsonWriter writer)
    {
        if (IsText) writer.WriteStringValue(Text);
        else if (Number == Math.Floor(Number) && Math.Abs(Number) < 9e15) writer.WriteNumberValue((long)Number);
        else writer.WriteNumberValue(Number);
    }

    /// <summary>Reads a JSON scalar as a value; false for objects, arrays, booleans and null.</summary>
    public static bool TryRead(JsonElement element, out StateValue value)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.String: value = Of(element.GetString()!); return true;
            case JsonValueKind.Number: value = Of(element.GetDouble()); return true;
            default: value = default; return false;
        }
    }

    public override string ToString() => IsText ? Text! : Number.ToString(CultureInfo.InvariantCulture);
}
