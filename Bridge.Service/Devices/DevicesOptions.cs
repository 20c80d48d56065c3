namespace Bridge.Service.Devices;

/// <summary><c>Devices:*</c>: where profiles live and explicit profile choices for discovered devices.</summary>
public sealed class DevicesOptions
{
    public const string Section = "Devices";

    /// <summary>Directory of device profiles; default: configs/devices beside the program.</summary>
    public string? ProfileDir { get; set; }

    /// <summary>Device id → profile id, for a discovered device that matching alone can't place.</summary>
    public Dictionary<string, string> Assign { get; set; } = new(StringComparer.Ordinal);

    /// <summary>Devices on another subnet, which broadcasts cannot reach, declared instead of found
    /// (CONTRACT.md, <c>Devices:Static:&lt;n&gt;:…</c>).</summary>
    public List<StaticDeviceOptions> Static { get; set; } = [];

    public string ResolvedProfileDir => ProfileDir ?? Path.Combine(AppContext.BaseDirectory, "configs", "devices");

    public IEnumerable<string> Validate()
    {
        if (!Directory.Exists(ResolvedProfileDir))
            yield return $"Devices:ProfileDir: '{ResolvedProfileDir}' does not exist";
        var ids = new HashSet<string>(StringComparer.Ordinal);
        for (var n = 0; n < Static.Count; n++)
        {
            var d = Static[n];
            var key = $"Devices:Static:{n}";
            if (string.IsNullOrWhiteSpace(d.Protocol)) yield return $"{key}:Protocol is required (e.g. tuya)";
            if (string.IsNullOrWhiteSpace(d.Id)) yield return $"{key}:Id is required (the id the device is found by, e.g. tuya-bf1234567890abcdef)";
            else if (!ids.Add(d.Id)) yield return $"{key}:Id '{d.Id}' is declared twice";
            if (!d.TryParseAddress(out _)) yield return $"{key}:Address must be an IPv4 address, with a port or not (e.g. 192.168.2.40 or 192.168.2.40:6668), not '{d.Address}'";
            // Never the values: they are secrets.
            if (!string.IsNullOrEmpty(d.Key) && !string.IsNullOrEmpty(d.Token)) yield return $"{key}: give Key or Token, not both";
        }
    }
}

/// <summary><c>Devices:Static:&lt;n&gt;:*</c>: one device declared by its address. <see cref="Key"/> or
/// <see cref="Token"/> is the credential its protocol needs; with one, the bridge adopts it at start.</summary>
public sealed class StaticDeviceOptions
{
    public string Protocol { get; set; } = "";
    public string Id { get; set; } = "";
    public string Address { get; set; } = "";
    public string? Name { get; set; }
    public string? Key { get; set; }
    public string? Token { get; set; }

    /// <summary>The address; port 0 when none is given (the protocol's own).</summary>
    public bool TryParseAddress(out System.Net.IPEndPoint endPoint)
    {
        endPoint = null!;
        if (!System.Net.IPEndPoint.TryParse(Address.Trim(), out var parsed) || parsed.AddressFamily != System.Net.Sockets.AddressFamily.InterNetwork) return false;
        endPoint = parsed;
        return true;
    }

    public override string ToString() => $"{Protocol} {Id} at {Address}";
}
