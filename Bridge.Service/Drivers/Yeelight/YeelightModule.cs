using Bridge.Service.Modules;

namespace Bridge.Service.Drivers.Yeelight;

/// <summary>Yeelight bulbs over their LAN protocol (PROTOCOLS.md §6): found by their SSDP-like search and
/// adverts, one TCP connection each, commands as JSON lines, no adoption needed.</summary>
public sealed class YeelightModule : IProtocolModule
{
    public string Name => YeelightDriver.DriverName;

    /// <summary>The bulbs start before the search, so an answer always finds somewhere to go.</summary>
    public void Register(ProtocolBuilder protocol) => protocol
        .Options<YeelightOptions>(YeelightOptions.Section, o => o.Validate())
        .Hosted<YeelightBulbs>()
        .Driver<YeelightDriver>()
        .UdpDiscovery<YeelightLanSearch>()
        .Demo<YeelightDemoDevices>();
}
