namespace Bridge.Protocols.Gree;

/// <summary>Gree status/command columns and their meaning (PROTOCOLS.md §10.3).</summary>
public static class GreeColumns
{
    public const string Power = "Pow";
    public const string Mode = "Mod";
    public const string SetTemperature = "SetTem";
    public const string FanSpeed = "WdSpd";
    public const string RoomTemperature = "TemSen";
    public const string TemperatureUnit = "TemUn";
    public const string Light = "Lig";
    public const string Buzzer = "Buzzer_ON_OFF";

    /// <summary>TemSen is the room temperature + 40, except on V4.x firmware or when the unit sends
    /// a value already below 40 (no offset then).</summary>
    public static double RoomTemperatureOf(int temSen, string? firmwareVersion) =>
        temSen < 40 || (firmwareVersion?.StartsWith("V4", StringComparison.OrdinalIgnoreCase) ?? false) ? temSen : temSen - 40;

    /// <summary>The MAC a device id names: 12 lowercase hex digits.</summary>
    public static bool IsMac(string? mac) => mac is { Length: 12 } && mac.All(c => char.IsAsciiDigit(c) || c is >= 'a' and <= 'f');
}
