using System.Net;

namespace Bridge.Service.Drivers.Tuya;

/// <summary><c>Discovery:Tuya:*</c>: hearing Tuya devices' broadcasts and keeping one connection to each adopted device.</summary>
public sealed class TuyaOptions
{
    public const string Section = "Discovery:Tuya";

    public bool Enabled { get; set; } = true;

    /// <summary>Where 3.1 devices broadcast (6666), 3.3+ devices (6667), and where 3.5 devices answer
    /// REQ_DEVINFO (7000). Shared with other software, bound with address reuse; only tests change them.</summary>
    public int PlainPort { get; set; } = Protocols.Tuya.TuyaDiscovery.PlainPort;
    public int EncryptedPort { get; set; } = Protocols.Tuya.TuyaDiscovery.EncryptedPort;
    public int DeviceInfoPort { get; set; } = Protocols.Tuya.TuyaDiscovery.DeviceInfoPort;

    /// <summary>Extra <c>host:port</c> places for the REQ_DEVINFO probe by unicast (tests, the demo).</summary>
    public List<string> DeviceInfoTargets { get; set; } = [];

    /// <summary>Devices drop a client that is silent for ~30 s; PROTOCOLS.md §10.1 says 10–12 s.</summary>
    public TimeSpan HeartbeatInterval { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>How long a device may take to answer the handshake, a query or a heartbeat.</summary>
    public TimeSpan ReplyTimeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>With no STATUS push this long after a control was acked, a DP query tells the truth.</summary>
    public TimeSpan QueryAfterAck { get; set; } = TimeSpan.FromSeconds(1);

    public TimeSpan ConnectTimeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Reconnects back off from this to <see cref="ReconnectMax"/>: a device that is asked too
    /// often in the wrong way can go offline for a while, so the bridge never cycles quickly.</summary>
    public TimeSpan ReconnectMin { get; set; } = TimeSpan.FromSeconds(2);
    public TimeSpan ReconnectMax { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>The TCP port of the devices (6668).</summary>
    public int DevicePort { get; set; } = 6668;

    public IReadOnlyList<IPEndPoint> ParsedDeviceInfoTargets() => DeviceInfoTargets.Select(t => IPEndPoint.Parse(t)).ToArray();

    public IEnumerable<string> Validate()
    {
        foreach (var (name, port) in new[] { ("PlainPort", PlainPort), ("EncryptedPort", EncryptedPort), ("DeviceInfoPort", DeviceInfoPort), ("DevicePort", DevicePort) })
            if (port is < 1 or > 65535) yield return $"{Section}:{name} must be 1..65535, not {port}";
        foreach (var t in DeviceInfoTargets)
            if (!IPEndPoint.TryParse(t, out var ep) || ep.Port == 0 || ep.AddressFamily != System.Net.Sockets.AddressFamily.InterNetwork)
                yield return $"{Section}:DeviceInfoTargets: '{t}' is not an IPv4 host:port (e.g. 192.168.1.30:7000)";
        if (HeartbeatInterval < TimeSpan.FromSeconds(1) || HeartbeatInterval > TimeSpan.FromSeconds(25))
            yield return $"{Section}:HeartbeatInterval must be between 00:00:01 and 00:00:25 (devices drop silent clients after ~30 s)";
        if (ReplyTimeout <= TimeSpan.Zero || ReplyTimeout > TimeSpan.FromMinutes(1)) yield return $"{Section}:ReplyTimeout must be between 0 and 1 minute";
        if (QueryAfterAck <= TimeSpan.Zero || QueryAfterAck > TimeSpan.FromSeconds(30)) yield return $"{Section}:QueryAfterAck must be between 0 and 30 seconds";
        if (ConnectTimeout <= TimeSpan.Zero || ConnectTimeout > TimeSpan.FromMinutes(1)) yield return $"{Section}:ConnectTimeout must be between 0 and 1 minute";
        if (ReconnectMin < TimeSpan.FromMilliseconds(100) || ReconnectMax < ReconnectMin || ReconnectMax > TimeSpan.FromHours(1))
            yield return $"{Section}:ReconnectMin must be at least 00:00:00.1 and ReconnectMax between it and an hour";
    }
}
