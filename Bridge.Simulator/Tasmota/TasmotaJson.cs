using System.Buffers.Text;
using System.Globalization;
using System.Text.Json;

namespace Bridge.Simulator.Tasmota;

/// <summary>Small writers for the number and time formats Tasmota payloads use.</summary>
internal static class TasmotaJson
{
    private static readonly System.Buffers.StandardFormat OneDecimal = new('F', 1);

    /// <summary>A number with one decimal, as Tasmota prints temperatures: <c>"Temperature":26.0</c>.</summary>
    public static void WriteFixed1(Utf8JsonWriter w, string name, double value)
    {
        Span<byte> buf = stackalloc byte[32];
        Utf8Formatter.TryFormat(Math.Round(value, 1), buf, out var n, OneDecimal);
        w.WritePropertyName(name);
        w.WriteRawValue(buf[..n], skipInputValidation: true);
    }

    /// <summary><c>"Time":"2024-05-01T12:00:00"</c>, local time without offset (Tasmota's default).</summary>
    public static void WriteTime(Utf8JsonWriter w, DateTimeOffset now)
    {
        Span<char> buf = stackalloc char[32];
        now.DateTime.TryFormat(buf, out var n, "yyyy-MM-ddTHH:mm:ss", CultureInfo.InvariantCulture);
        w.WriteString("Time", buf[..n]);
    }

    /// <summary><c>"Uptime":"1T02:03:04"</c> (days T hh:mm:ss).</summary>
    public static void WriteUptime(Utf8JsonWriter w, TimeSpan up)
    {
        Span<char> buf = stackalloc char[32];
        if (up < TimeSpan.Zero) up = TimeSpan.Zero;
        ((int)up.TotalDays).TryFormat(buf, out var n, provider: CultureInfo.InvariantCulture);
        buf[n++] = 'T';
        up.Hours.TryFormat(buf[n..], out var h, "00", CultureInfo.InvariantCulture);
        n += h;
        buf[n++] = ':';
        up.Minutes.TryFormat(buf[n..], out var m, "00", CultureInfo.InvariantCulture);
        n += m;
        buf[n++] = ':';
        up.Seconds.TryFormat(buf[n..], out var s, "00", CultureInfo.InvariantCulture);
        n += s;
        w.WriteString("Uptime", buf[..n]);
        w.WriteNumber("UptimeSec", (long)up.TotalSeconds);
    }
}
