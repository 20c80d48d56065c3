using System.Globalization;

namespace Bridge.Protocols.Improv;

/// <summary>A Wi-Fi network a device sees, from one scan result: SSID, RSSI as decimal text,
/// "YES"/"NO" for whether it needs a password.</summary>
public sealed record ImprovNetwork(string Ssid, int Rssi, bool Secure)
{
    public static bool TryParse(IReadOnlyList<string> strings, out ImprovNetwork? network)
    {
        network = null;
        if (strings.Count < 3 || strings[0].Length == 0) return false;
        if (!int.TryParse(strings[1], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var rssi)) return false;
        network = new ImprovNetwork(strings[0], rssi, !string.Equals(strings[2], "NO", StringComparison.OrdinalIgnoreCase));
        return true;
    }

    public string[] ToStrings() => [Ssid, Rssi.ToString(CultureInfo.InvariantCulture), Secure ? "YES" : "NO"];
}

/// <summary>What "request device info" answers: firmware, version, chip, device name and, from
/// newer firmware, the OS name and version.</summary>
public sealed record ImprovDeviceInfo(string Firmware, string Version, string Chip, string Name, string? OsName = null, string? OsVersion = null)
{
    public static bool TryParse(IReadOnlyList<string> strings, out ImprovDeviceInfo? info)
    {
        info = null;
        if (strings.Count < 4) return false;
        info = new ImprovDeviceInfo(strings[0], strings[1], strings[2], strings[3],
            strings.Count > 4 ? strings[4] : null, strings.Count > 5 ? strings[5] : null);
        return true;
    }

    public string[] ToStrings() =>
        OsName is null ? [Firmware, Version, Chip, Name]
        : OsVersion is null ? [Firmware, Version, Chip, Name, OsName]
        : [Firmware, Version, Chip, Name, OsName, OsVersion];
}
