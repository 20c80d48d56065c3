using System.Net;

namespace Bridge.Service.Drivers.Yeelight;

/// <summary><c>Discovery:Yeelight:*</c>: finding Yeelight bulbs and talking to them.</summary>
public sealed class YeelightOptions
{
    public const string Section = "Discovery:Yeelight";

    /// <summary>Off: no search, no advert listener, no connections (Discovery:Enabled=false turns it off too).</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>The first re-search after start; each later one waits twice as long, up to <see cref="MaxSearchInterval"/>.</summary>
    public TimeSpan SearchInterval { get; set; } = TimeSpan.FromSeconds(1);
    public TimeSpan MaxSearchInterval { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>The search and advert port (1982, the bulbs'); only tests change it, to keep apart
    /// from each other in one namespace.</summary>
    public int SearchPort { get; set; } = Protocols.Yeelight.YeelightConstants.SearchPort;

    /// <summary>Extra <c>host:port</c> places to send the search to by unicast, for networks (and a
    /// demo on loopback) where multicast does not reach the bulbs.</summary>
    public List<string> SearchTargets { get; set; } = [];

    /// <summary>Commands per bulb in any minute. The bulbs allow about one a second (PROTOCOLS.md §6.2)
    /// and refuse more; the bridge answers <c>busy</c> instead of running into that.</summary>
    public int CommandsPerMinute { get; set; } = 60;

    public TimeSpan ConnectTimeout { get; set; } = TimeSpan.FromSeconds(5);
    public TimeSpan ReconnectMin { get; set; } = TimeSpan.FromSeconds(1);
    public TimeSpan ReconnectMax { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>Parsed <see cref="SearchTargets"/>; call after <see cref="Validate"/> found no problem.</summary>
    public IReadOnlyList<IPEndPoint> ParsedSearchTargets() => SearchTargets.Select(t => IPEndPoint.Parse(t)).ToArray();

    public IEnumerable<string> Validate()
    {
        if (SearchInterval < TimeSpan.FromMilliseconds(100) || SearchInterval > TimeSpan.FromHours(1))
            yield return "Discovery:Yeelight:SearchInterval must be between 00:00:00.1 and 01:00:00";
        if (MaxSearchInterval < SearchInterval || MaxSearchInterval > TimeSpan.FromDays(1))
            yield return "Discovery:Yeelight:MaxSearchInterval must be at least SearchInterval and at most a day";
        if (SearchPort is < 1 or > 65535) yield return $"Discovery:Yeelight:SearchPort must be 1..65535, not {SearchPort}";
        foreach (var t in SearchTargets)
            if (!IPEndPoint.TryParse(t, out var ep) || ep.Port == 0 || ep.AddressFamily != System.Net.Sockets.AddressFamily.InterNetwork)
                yield return $"Discovery:Yeelight:SearchTargets: '{t}' is not an IPv4 host:port (e.g. 192.168.1.30:1982)";
        if (CommandsPerMinute is < 1 or > 60) yield return $"Discovery:Yeelight:CommandsPerMinute must be 1..60 (the bulbs allow about 60), not {CommandsPerMinute}";
        if (ConnectTimeout <= TimeSpan.Zero || ConnectTimeout > TimeSpan.FromMinutes(1)) yield return "Discovery:Yeelight:ConnectTimeout must be between 0 and 1 minute";
        if (ReconnectMin <= TimeSpan.Zero || ReconnectMax < ReconnectMin || ReconnectMax > TimeSpan.FromHours(1))
            yield return "Discovery:Yeelight:ReconnectMin must be positive and ReconnectMax between it and an hour";
    }
}
