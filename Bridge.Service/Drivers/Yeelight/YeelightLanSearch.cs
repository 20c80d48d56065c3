using System.Net;
using Bridge.Protocols.Yeelight;
using Bridge.Service.Discovery;
using Microsoft.Extensions.Options;

namespace Bridge.Service.Drivers.Yeelight;

/// <summary>Finding Yeelight bulbs (PROTOCOLS.md §6.1): the search goes to 239.255.255.250:1982 (and by
/// unicast to <c>Discovery:Yeelight:SearchTargets</c>) at start, then 1 s, 2 s, 4 s … up to
/// <c>MaxSearchInterval</c> apart; the bulbs answer by unicast and advertise with NOTIFY on 1982.
/// Other clients' searches arrive on 1982 too: those and foreign datagrams are not adverts.</summary>
public sealed class YeelightLanSearch(IOptions<YeelightOptions> options, YeelightBulbs bulbs) : IUdpDiscovery
{
    public string Protocol => YeelightDriver.DriverName;
    public bool Enabled => options.Value.Enabled;
    public IReadOnlyList<UdpListen> Listens { get; } = [new(options.Value.SearchPort, YeelightConstants.SearchGroup)];
    public IReadOnlyList<UdpProbe> Probes { get; } = [new(YeelightSearch.Request.ToArray(), YeelightConstants.SearchGroup, options.Value.SearchPort)];
    public IReadOnlyList<IPEndPoint> Targets => options.Value.ParsedSearchTargets();
    public TimeSpan FirstInterval => options.Value.SearchInterval;
    public TimeSpan MaxInterval => options.Value.MaxSearchInterval;
    public int MaxDatagramBytes => YeelightConstants.MaxDatagramBytes;

    public bool TryHandle(ReadOnlySpan<byte> datagram, IPEndPoint from, LanInterface? via)
    {
        if (!YeelightSearch.TryParseAdvert(datagram, out var advert, out _)) return false;
        // Not awaited: a moved bulb's new address is probed off the receive loop.
        bulbs.Seen(advert!);
        return true;
    }
}
