using System.Globalization;

namespace Bridge.Simulator;

/// <summary>MAC addresses for simulated devices: 12 upper-case hex digits, locally administered (02...).</summary>
internal static class MacAddress
{
    /// <summary>The same MAC for the same id on every run (FNV-1a of the id).</summary>
    public static string Stable(string id)
    {
        var h = 14695981039346656037UL;
        foreach (var c in id) h = (h ^ c) * 1099511628211UL;
        return "02" + (h & 0xFF_FFFF_FFFFUL).ToString("X10", CultureInfo.InvariantCulture);
    }

    /// <summary>Distinct MACs for numbered devices: <c>02DB</c> + the index in 8 hex digits.</summary>
    public static string Numbered(int index) => "02DB" + index.ToString("X8", CultureInfo.InvariantCulture);

    public static bool IsValid(string mac) => mac.Length == 12 && mac.All(Uri.IsHexDigit);
}
