namespace Bridge.Protocols.Tuya;

/// <summary>The Tuya LAN protocol versions the bridge speaks (PROTOCOLS.md §10.1). 3.2 devices
/// frame like 3.3 and are read as such.</summary>
public enum TuyaVersion
{
    V31,
    V33,
    V34,
    V35,
}

/// <summary>Converts protocol versions to and from the text devices announce (<c>"3.3"</c>).</summary>
public static class TuyaVersions
{
    public static string Text(this TuyaVersion v) => v switch
    {
        TuyaVersion.V31 => "3.1",
        TuyaVersion.V33 => "3.3",
        TuyaVersion.V34 => "3.4",
        _ => "3.5",
    };

    public static bool TryParse(string? text, out TuyaVersion version)
    {
        switch (text?.Trim())
        {
            case "3.1": version = TuyaVersion.V31; return true;
            case "3.2" or "3.3": version = TuyaVersion.V33; return true;
            case "3.4": version = TuyaVersion.V34; return true;
            case "3.5": version = TuyaVersion.V35; return true;
            default: version = TuyaVersion.V33; return false;
        }
    }

    /// <summary>3.4 and 3.5 negotiate a session key on every connection.</summary>
    public static bool NeedsSession(this TuyaVersion v) => v >= TuyaVersion.V34;
}
