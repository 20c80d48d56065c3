namespace Bridge.Service.Provisioning;

/// <summary><c>Provision:*</c>: how long each step of giving a device its Wi-Fi may take.</summary>
public sealed class ProvisionOptions
{
    public const string Section = "Provision";

    /// <summary>How long a provisioned device has to appear on the LAN (CONTRACT.md: 60 s); after
    /// that provisioning still succeeds, with no device.</summary>
    public TimeSpan FindTimeout { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>How long a device on a serial port has to answer Improv (the request is re-sent
    /// every second, as the reference client does for a device still booting).</summary>
    public TimeSpan ImprovDetectTimeout { get; set; } = TimeSpan.FromSeconds(3);

    /// <summary>How long an Improv device has to say whether it joined (ESPHome gives up after
    /// 30 s; ESP Web Tools waits 45 s; WLED never says it failed).</summary>
    public TimeSpan ImprovJoinTimeout { get; set; } = TimeSpan.FromSeconds(45);

    /// <summary>How long one Improv request (info, scan, hostname) may take.</summary>
    public TimeSpan ImprovRequestTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>How long one HTTP request to a device in access-point mode may take (softap).</summary>
    public TimeSpan SoftApRequestTimeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>How long a device in access-point mode has to say whether it joined (softap;
    /// ESP-IDF retries for about 30 s before it reports a failure).</summary>
    public TimeSpan SoftApJoinTimeout { get; set; } = TimeSpan.FromSeconds(45);

    /// <summary>Improv over serial runs at 115200 8N1.</summary>
    public int ImprovBaud { get; set; } = 115200;

    public IEnumerable<string> Validate()
    {
        if (FindTimeout < TimeSpan.Zero || FindTimeout > TimeSpan.FromMinutes(10))
            yield return "Provision:FindTimeout must be between 0 and 10 minutes (e.g. 00:01:00)";
        foreach (var (name, value) in new[] { ("ImprovDetectTimeout", ImprovDetectTimeout), ("ImprovJoinTimeout", ImprovJoinTimeout), ("ImprovRequestTimeout", ImprovRequestTimeout),
                     ("SoftApRequestTimeout", SoftApRequestTimeout), ("SoftApJoinTimeout", SoftApJoinTimeout) })
            if (value <= TimeSpan.Zero || value > TimeSpan.FromMinutes(5))
                yield return $"Provision:{name} must be between 0 and 5 minutes (e.g. 00:00:30)";
        if (ImprovBaud is < 1200 or > 4_000_000) yield return "Provision:ImprovBaud must be a serial speed such as 115200";
    }
}
