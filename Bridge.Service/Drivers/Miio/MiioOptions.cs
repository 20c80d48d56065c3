using System.Net;
using Bridge.Protocols.Miio;

namespace Bridge.Service.Drivers.Miio;

/// <summary><c>Discovery:Miio:*</c>: finding Xiaomi miIO/MIoT devices by their hello and talking to the
/// adopted ones: how long to wait for an answer, how often to retry, how often to poll.</summary>
public sealed class MiioOptions
{
    public const string Section = "Discovery:Miio";

    /// <summary>Devices take about one request a second; the bridge never polls faster than this.</summary>
    public static readonly TimeSpan MinPollInterval = TimeSpan.FromSeconds(1);

    public bool Enabled { get; set; } = true;

    /// <summary>Where devices listen for hellos and requests (54321); only tests change it.</summary>
    public int Port { get; set; } = MiioPacketCodec.Port;

    /// <summary>Extra <c>host:port</c> places for the hello by unicast (a device on another subnet, the demo).</summary>
    public List<string> Targets { get; set; } = [];

    /// <summary>Devices never push to LAN clients (PROTOCOLS.md §10.2), so changes made with the remote or
    /// the Mi Home app are read this often. Gentle by default: each poll is one request per 15 properties.</summary>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>How long one hello or one request may wait for its answer.</summary>
    public TimeSpan ReplyTimeout { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>How often a request that got no answer is sent again (with id + 100 and a new hello,
    /// as PROTOCOLS.md §10.2 says: up to 3).</summary>
    public int Retries { get; set; } = 3;

    public IReadOnlyList<IPEndPoint> ParsedTargets() => Targets.Select(t => IPEndPoint.Parse(t)).ToArray();

    public IEnumerable<string> Validate()
    {
        if (Port is < 1 or > 65535) yield return $"{Section}:Port must be 1..65535, not {Port}";
        foreach (var t in Targets)
            if (!IPEndPoint.TryParse(t, out var ep) || ep.Port == 0 || ep.AddressFamily != System.Net.Sockets.AddressFamily.InterNetwork)
                yield return $"{Section}:Targets: '{t}' is not an IPv4 host:port (e.g. 192.168.2.40:54321)";
        if (PollInterval < MinPollInterval || PollInterval > TimeSpan.FromHours(1))
            yield return $"{Section}:PollInterval must be between 00:00:01 and 01:00:00 (devices take about one request a second), not {PollInterval}";
        if (ReplyTimeout < TimeSpan.FromMilliseconds(50) || ReplyTimeout > TimeSpan.FromSeconds(30))
            yield return $"{Section}:ReplyTimeout must be between 00:00:00.05 and 00:00:30, not {ReplyTimeout}";
        if (Retries is < 0 or > 5) yield return $"{Section}:Retries must be 0..5 (PROTOCOLS.md: up to 3), not {Retries}";
    }
}
