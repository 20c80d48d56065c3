using System.Text;
using System.Text.Json;

namespace Bridge.Simulator.Tasmota;

/// <summary>The fields of an <c>IRHVAC</c> command payload that the simulated air conditioner acts on,
/// read with <see cref="Utf8JsonReader"/> (names and values case-insensitive, as Tasmota reads them).
/// Absent fields keep the air conditioner's current value (Tasmota's stateful IRHVAC).</summary>
internal ref struct IrHvacCommand
{
    public static readonly string[] Modes = ["Off", "Auto", "Cool", "Heat", "Dry", "Fan"];
    public static readonly string[] FanSpeeds = ["Auto", "Min", "Low", "Medium", "High", "Max"];

    public bool HasVendor;
    public ReadOnlySpan<byte> Vendor;
    public bool? Power;
    public string? Mode;
    public string? FanSpeed;
    public double? Temp;

    /// <summary>Reads the payload; on failure <paramref name="error"/> is Tasmota-style text such as <c>Wrong Mode</c>.</summary>
    public static bool TryRead(ReadOnlySpan<byte> json, out IrHvacCommand cmd, out string error)
    {
        cmd = default;
        error = "";
        var r = new Utf8JsonReader(json);
        try
        {
            if (!r.Read() || r.TokenType != JsonTokenType.StartObject)
            {
                error = "Invalid JSON";
                return false;
            }
            while (r.Read() && r.TokenType == JsonTokenType.PropertyName)
            {
                var name = r.HasValueSequence || r.ValueIsEscaped ? Encoding.UTF8.GetBytes(r.GetString()!) : r.ValueSpan;
                if (!r.Read())
                {
                    error = "Invalid JSON";
                    return false;
                }
                if (Ascii.EqualsIgnoreCase(name, "Vendor"u8))
                {
                    cmd.HasVendor = r.TokenType == JsonTokenType.String && !r.ValueIsEscaped && r.ValueSpan.Length > 0;
                    cmd.Vendor = cmd.HasVendor ? r.ValueSpan : default;
                    if (!cmd.HasVendor) return Fail(out error, "Wrong Vendor");
                }
                else if (Ascii.EqualsIgnoreCase(name, "Power"u8))
                {
                    if (ReadBool(ref r) is not { } p) return Fail(out error, "Wrong Power");
                    cmd.Power = p;
                }
                else if (Ascii.EqualsIgnoreCase(name, "Mode"u8))
                {
                    if (Pick(ref r, Modes) is not { } m) return Fail(out error, "Wrong Mode");
                    cmd.Mode = m;
                }
                else if (Ascii.EqualsIgnoreCase(name, "FanSpeed"u8))
                {
                    if (Pick(ref r, FanSpeeds) is not { } f) return Fail(out error, "Wrong FanSpeed");
                    cmd.FanSpeed = f;
                }
                else if (Ascii.EqualsIgnoreCase(name, "Temp"u8))
                {
                    if (ReadNumber(ref r) is not { } t) return Fail(out error, "Wrong Temp");
                    cmd.Temp = t;
                }
                else r.Skip();
            }
            if (!cmd.HasVendor) return Fail(out error, "Wrong Vendor");
            return true;
        }
        catch (JsonException)
        {
            error = "Invalid JSON";
            return false;
        }
    }

    private static bool Fail(out string error, string text)
    {
        error = text;
        return false;
    }

    private static bool? ReadBool(ref Utf8JsonReader r)
    {
        if (r.TokenType == JsonTokenType.True) return true;
        if (r.TokenType == JsonTokenType.False) return false;
        if (r.TokenType == JsonTokenType.Number && r.TryGetInt32(out var n)) return n != 0;
        if (r.TokenType != JsonTokenType.String) return null;
        var v = r.ValueSpan;
        if (Ascii.EqualsIgnoreCase(v, "On"u8) || Ascii.EqualsIgnoreCase(v, "1"u8) || Ascii.EqualsIgnoreCase(v, "true"u8) || Ascii.EqualsIgnoreCase(v, "yes"u8)) return true;
        if (Ascii.EqualsIgnoreCase(v, "Off"u8) || Ascii.EqualsIgnoreCase(v, "0"u8) || Ascii.EqualsIgnoreCase(v, "false"u8) || Ascii.EqualsIgnoreCase(v, "no"u8)) return false;
        return null;
    }

    private static string? Pick(ref Utf8JsonReader r, string[] choices)
    {
        if (r.TokenType != JsonTokenType.String) return null;
        var v = r.ValueSpan;
        foreach (var c in choices)
            if (Ascii.EqualsIgnoreCase(v, c.AsSpan())) return c;
        if (choices == Modes && Ascii.EqualsIgnoreCase(v, "Fan_Only"u8)) return "Fan";
        if (choices == FanSpeeds && (Ascii.EqualsIgnoreCase(v, "Med"u8) || Ascii.EqualsIgnoreCase(v, "Middle"u8))) return "Medium";
        return null;
    }

    private static double? ReadNumber(ref Utf8JsonReader r)
    {
        if (r.TokenType == JsonTokenType.Number && r.TryGetDouble(out var d)) return d;
        if (r.TokenType == JsonTokenType.String && TasmotaArgs.TryNumber(r.ValueSpan, out var s)) return s;
        return null;
    }
}
