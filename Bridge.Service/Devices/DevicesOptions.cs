namespace Bridge.Service.Devices;

/// <summary><c>Devices:*</c>: where profiles live and explicit profile choices for discovered devices.</summary>
public sealed class DevicesOptions
{
    public const string Section = "Devices";

    /// <summary>Directory of device profiles; default: configs/devices beside the program.</summary>
    public string? ProfileDir { get; set; }

    /// <summary>Device id → profile id, for a discovered device that matching alone can't place.</summary>
    public Dictionary<string, string> Assign { get; set; } = new(StringComparer.Ordinal);

    public string ResolvedProfileDir => ProfileDir ?? Path.Combine(AppContext.BaseDirectory, "configs", "devices");

    public IEnumerable<string> Validate()
    {
        if (!Directory.Exists(ResolvedProfileDir))
            yield return $"Devices:ProfileDir: '{ResolvedProfileDir}' does not exist";
    }
}
