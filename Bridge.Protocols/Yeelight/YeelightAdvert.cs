namespace Bridge.Protocols.Yeelight;

/// <summary>What a bulb says about itself in a search response or a NOTIFY advert. Property
/// values are kept as the bulb sent them (text); absent headers are null.</summary>
public sealed record YeelightAdvert
{
    /// <summary>The bulb's id as sent, lower case (<c>0x000000000015243f</c>).</summary>
    public required string Id { get; init; }
    public required string Host { get; init; }
    public required int Port { get; init; }
    public bool IsNotify { get; init; }
    public string? Model { get; init; }
    public string? FirmwareVersion { get; init; }
    public IReadOnlyList<string> Support { get; init; } = [];
    public string? Power { get; init; }
    public string? Bright { get; init; }
    public string? ColorMode { get; init; }
    public string? Ct { get; init; }
    public string? Rgb { get; init; }
    public string? Hue { get; init; }
    public string? Sat { get; init; }
    /// <summary>The name, decoded from base64 when it is base64 of UTF-8.</summary>
    public string? Name { get; init; }
    /// <summary>Cache-Control max-age; one hour when absent (the bulbs' default).</summary>
    public TimeSpan MaxAge { get; init; } = TimeSpan.FromHours(1);

    public bool Supports(string method) => Support.Contains(method, StringComparer.Ordinal);

    /// <summary>The property by its protocol name (<c>power</c>, <c>bright</c>, <c>ct</c>, ...).</summary>
    public string? Property(string name) => name switch
    {
        "power" => Power,
        "bright" => Bright,
        "color_mode" => ColorMode,
        "ct" => Ct,
        "rgb" => Rgb,
        "hue" => Hue,
        "sat" => Sat,
        _ => null,
    };
}
