namespace Bridge.Simulator.Improv;

/// <summary>Which firmware's Improv behaviour a simulated device copies (PROTOCOLS.md, other
/// firmwares' Improv quirks).</summary>
public enum ImprovFirmware
{
    /// <summary>Logs on the line, results with ESPHome's extra trailing zero, error "unable to
    /// connect" and back to ready when it cannot join.</summary>
    EspHome,
    /// <summary>Logs on the line; never reports "unable to connect": it stays in "provisioning".</summary>
    Wled,
    /// <summary>Quiet line; restarts after it has joined and keeps its Improv state across the restart.</summary>
    Tasmota,
}

/// <summary>The networks a simulated device can see and join: the home's "air".</summary>
public sealed class SimulatedAir
{
    private readonly Dictionary<string, (string Password, int Rssi)> _networks = new(StringComparer.Ordinal);

    public SimulatedAir Add(string ssid, string password, int rssi = -50)
    {
        _networks[ssid] = (password, rssi);
        return this;
    }

    /// <summary>The network is switched off or out of reach (softap: "network not found").</summary>
    public SimulatedAir Remove(string ssid)
    {
        _networks.Remove(ssid);
        return this;
    }

    /// <summary>Strongest first, as a scan lists them.</summary>
    public IEnumerable<(string Ssid, int Rssi, bool Secure)> Scan() =>
        _networks.OrderByDescending(n => n.Value.Rssi).Select(n => (n.Key, n.Value.Rssi, n.Value.Password.Length > 0));

    /// <summary>Whether these credentials get onto a network (a wrong password and an unknown
    /// network look the same to an Improv client).</summary>
    public bool CanJoin(string ssid, string password) =>
        _networks.TryGetValue(ssid, out var n) && string.Equals(n.Password, password, StringComparison.Ordinal);
}

/// <summary>What goes wrong with a simulated Improv device, set by tests.</summary>
public sealed class ImprovDeviceFaults
{
    /// <summary>Answers nothing (wrong port, firmware without Improv, a crashed device).</summary>
    public bool Silent { get; set; }

    /// <summary>A firmware without Improv (or not in setup mode) that only prints its log: each thing it
    /// hears on the port is answered with a log line, never with an Improv packet.</summary>
    public bool LogsWithoutImprov { get; set; }

    /// <summary>Restarts right after taking the settings, before joining, and forgets them.</summary>
    public bool RebootOnSettings { get; set; }

    /// <summary>How long joining a network takes once the settings are right.</summary>
    public TimeSpan JoinDelay { get; set; } = TimeSpan.FromMilliseconds(200);

    /// <summary>How long it tries before reporting "unable to connect" (ESPHome: 30 s on a real device).</summary>
    public TimeSpan ConnectTimeout { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>How long a restart keeps the device off the line.</summary>
    public TimeSpan RebootTime { get; set; } = TimeSpan.FromMilliseconds(500);
}
