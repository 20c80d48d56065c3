using System.Buffers.Text;
using System.Text;

namespace Bridge.Simulator.Tasmota;

/// <summary>Reads a Tasmota command's parameter (the MQTT payload) the way the firmware does:
/// case-insensitive words, numbers, and the relative forms <c>+</c>, <c>-</c>, <c>+n</c>, <c>-n</c>, <c>&lt;</c>, <c>&gt;</c>.</summary>
internal static class TasmotaArgs
{
    /// <summary>The payload without surrounding blanks; <c>?</c> (query) becomes empty.</summary>
    public static ReadOnlySpan<byte> Normalize(ReadOnlySpan<byte> payload)
    {
        var s = payload.Trim(" \t\r\n"u8);
        return s.Length == 1 && s[0] == (byte)'?' ? default : s;
    }

    public static bool Is(ReadOnlySpan<byte> arg, ReadOnlySpan<byte> word) => Ascii.EqualsIgnoreCase(arg, word);

    public static bool Is(ReadOnlySpan<char> command, string name) => command.Equals(name, StringComparison.OrdinalIgnoreCase);

    /// <summary>Power parameter: 0/off/false, 1/on/true, 2/toggle. False when it is none of them.</summary>
    public static bool TryPower(ReadOnlySpan<byte> arg, bool current, out bool on)
    {
        if (Is(arg, "1"u8) || Is(arg, "on"u8) || Is(arg, "true"u8)) on = true;
        else if (Is(arg, "0"u8) || Is(arg, "off"u8) || Is(arg, "false"u8)) on = false;
        else if (Is(arg, "2"u8) || Is(arg, "toggle"u8)) on = !current;
        else
        {
            on = current;
            return false;
        }
        return true;
    }

    public static bool TryInt(ReadOnlySpan<byte> arg, out int value) =>
        Utf8Parser.TryParse(arg, out value, out var used) && used == arg.Length;

    public static bool TryNumber(ReadOnlySpan<byte> arg, out double value) =>
        Utf8Parser.TryParse(arg, out value, out var used) && used == arg.Length && double.IsFinite(value);

    /// <summary>An absolute or relative value: <c>n</c>, <c>+</c>/<c>-</c> (one step), <c>+n</c>/<c>-n</c>,
    /// <c>&lt;</c> (min), <c>&gt;</c> (max); the result is clamped to min..max.</summary>
    public static bool TryStep(ReadOnlySpan<byte> arg, int current, int step, int min, int max, out int value)
    {
        value = current;
        if (arg.IsEmpty) return false;
        if (arg.Length == 1 && arg[0] == (byte)'<') value = min;
        else if (arg.Length == 1 && arg[0] == (byte)'>') value = max;
        else if (arg.Length == 1 && arg[0] == (byte)'+') value = current + step;
        else if (arg.Length == 1 && arg[0] == (byte)'-') value = current - step;
        else if (arg[0] == (byte)'+' && TryInt(arg[1..], out var up)) value = current + up;
        else if (arg[0] == (byte)'-' && TryInt(arg[1..], out var down)) value = current - down;
        else if (TryInt(arg, out var abs)) value = abs;
        else return false;
        value = Math.Clamp(value, min, max);
        return true;
    }
}
