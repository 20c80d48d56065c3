using System.Net;

namespace Bridge.Service.Drivers.Gree;

/// <summary><c>Discovery:Gree:*</c>: scanning for Gree air conditioners and polling the adopted ones.</summary>
public sealed class GreeOptions
{
    public const string Section = "Discovery:Gree";

    public bool Enabled { get; set; } = true;

    /// <summary>Where units answer <c>{"t":"scan"}</c>, bind, status and cmd (UDP 7000, PROTOCOLS.md §10.3).
    /// Only tests change it.</summary>
    public int DevicePort { get; set; } = 7000;

    /// <summary>Extra <c>host:port</c> places the scan goes to by unicast (a unit on another subnet, tests, the demo).</summary>
    public List<string> ScanTargets { get; set; } = [];

    /// <summary>How often an adopted unit is asked for its state. Units never push changes made with
    /// their remote; they are small controllers that drop requests when asked too often, so the
    /// default is gentle and nothing below 2 s is accepted.</summary>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How long a unit may take to answer one datagram.</summary>
    public TimeSpan ReplyTimeout { get; set; } = TimeSpan.FromSeconds(3);

    /// <summary>Units time out now and then: offline only after this many polls in a row failed.</summary>
    public int FailedPollsBeforeOffline { get; set; } = 2;

    public IReadOnlyList<IPEndPoint> ParsedScanTargets() => ScanTargets.Select(t => IPEndPoint.Parse(t)).ToArray();

    public IEnumerable<string> Validate()
    {
        if (DevicePort is < 1 or > 65535) yield return $"{Section}:DevicePort must be 1..65535, not {DevicePort}";
        foreach (var t in ScanTargets)
            if (!IPEndPoint.TryParse(t, out var ep) || ep.Port == 0 || ep.AddressFamily != System.Net.Sockets.AddressFamily.InterNetwork)
                yield return $"{Section}:ScanTargets: '{t}' is not an IPv4 host:port (e.g. 192.168.1.31:7000)";
        if (PollInterval < TimeSpan.FromSeconds(2) || PollInterval > TimeSpan.FromHours(1))
            yield return $"{Section}:PollInterval must be between 00:00:02 and 01:00:00 (units drop requests when asked too often), not {PollInterval}";
        if (ReplyTimeout < TimeSpan.FromMilliseconds(50) || ReplyTimeout > TimeSpan.FromSeconds(30))
            yield return $"{Section}:ReplyTimeout must be between 00:00:00.05 and 00:00:30";
        if (ReplyTimeout * 2 >= PollInterval) yield return $"{Section}:ReplyTimeout must be under half of PollInterval";
        if (FailedPollsBeforeOffline is < 1 or > 10) yield return $"{Section}:FailedPollsBeforeOffline must be 1..10";
    }
}
