using System.Net;

namespace Bridge.Protocols.Yeelight;

/// <summary>Numbers from the Yeelight WiFi Light Inter-Operation Specification (PROTOCOLS.md §6.2).</summary>
public static class YeelightConstants
{
    /// <summary>The group and port of the search and of the bulbs' NOTIFY adverts.</summary>
    public static readonly IPAddress SearchGroup = IPAddress.Parse("239.255.255.250");
    public const int SearchPort = 1982;
    /// <summary>The bulb's TCP control port when its Location names none.</summary>
    public const int ControlPort = 55443;
    /// <summary>A search response or advert is a few hundred bytes; anything much bigger is not one.</summary>
    public const int MaxDatagramBytes = 4096;
    /// <summary>A control line is well under 1 KiB; longer ones are dropped, not buffered.</summary>
    public const int MaxLineBytes = 8192;
    public const string SearchTarget = "wifi_bulb";
    public const string Scheme = "yeelight://";
}
