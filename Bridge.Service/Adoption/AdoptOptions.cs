namespace Bridge.Service.Adoption;

/// <summary><c>Adopt:*</c>: how long adopting a device may take.</summary>
public sealed class AdoptOptions
{
    public const string Section = "Adopt";

    /// <summary>How long one local RPC call (HTTP) to the device may take.</summary>
    public TimeSpan RpcTimeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>How long, after the reboot, the device has to show up on MQTT. A Shelly restarts and joins
    /// Wi-Fi within ~10–20 s.</summary>
    public TimeSpan ConnectTimeout { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>The MQTT account an adopted device gets when the bridge uses an external broker that
    /// needs one. The bridge never hands its own broker password to a device: anything on the LAN can
    /// announce itself as a Shelly, and the settings travel over plain HTTP.</summary>
    public string? DeviceMqttUser { get; set; }

    public string? DeviceMqttPassword { get; set; }

    public IEnumerable<string> Validate()
    {
        if (string.IsNullOrEmpty(DeviceMqttUser) != string.IsNullOrEmpty(DeviceMqttPassword))
            yield return "Adopt:DeviceMqttUser and Adopt:DeviceMqttPassword go together: set both or neither";
        if (RpcTimeout <= TimeSpan.Zero || RpcTimeout > TimeSpan.FromMinutes(1))
            yield return "Adopt:RpcTimeout must be between 0 and 1 minute (e.g. 00:00:05)";
        if (ConnectTimeout <= TimeSpan.Zero || ConnectTimeout > TimeSpan.FromMinutes(10))
            yield return "Adopt:ConnectTimeout must be between 0 and 10 minutes (e.g. 00:01:00)";
    }
}
