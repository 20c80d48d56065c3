using Bridge.Protocols.Dns;
using Bridge.Service.Discovery;
using Bridge.Service.Drivers.EspHome;
using Bridge.Service.Drivers.Shelly;
using Bridge.Service.Drivers.Tasmota;

namespace Bridge.Tests.Service.Discovery;

/// <summary>The modules' mDNS matchers together, as the querier uses them.</summary>
public sealed class MdnsMatchersTests
{
    private static readonly Dictionary<string, string?> NoTxt = [];
    private readonly MdnsMatchers _matchers = new([new TasmotaMdnsMatcher(), new ShellyMdnsMatcher(), new EspHomeMdnsMatcher()]);

    [Fact]
    public void Shelly_and_ESPHome_are_known_by_their_own_service_type()
    {
        Assert.Equal(new MdnsIdentity("shellyplus1-a8032ab12345", "shelly"), _matchers.Identify(ShellyMdnsMatcher.ServiceType, "ShellyPlus1-A8032AB12345", NoTxt));
        Assert.Equal(new MdnsIdentity("kitchen-sensor", "esphome"), _matchers.Identify(EspHomeMdnsMatcher.ServiceType, "kitchen-sensor", NoTxt));
    }

    [Fact]
    public void Behind_http_only_devices_that_name_themselves_and_never_as_their_own_service()
    {
        var http = MdnsServiceTypes.Http;
        Assert.Equal(new MdnsIdentity("shelly1-34945470ab12", "shelly", false), _matchers.Identify(http, "shelly1-34945470AB12", NoTxt));
        Assert.Equal(new MdnsIdentity("plug", "shelly", false), _matchers.Identify(http, "plug", new Dictionary<string, string?> { ["gen"] = "2" }));
        Assert.Equal(new MdnsIdentity("tasmota-1a2b3c-1234", "tasmota", false), _matchers.Identify(http, "tasmota-1A2B3C-1234", NoTxt));
        Assert.Null(_matchers.Identify(http, "My NAS", NoTxt));
        Assert.Null(_matchers.Identify(http, "   ", NoTxt));
    }

    [Fact]
    public void A_type_no_module_browses_is_neither_browsed_nor_identified()
    {
        Assert.Null(_matchers.Identify(DnsName.Parse("_ipp._tcp.local"), "shelly", NoTxt));
        Assert.Equal(3, _matchers.BrowsedTypes.Count);
        Assert.Single(_matchers.BrowsedTypes, t => t == MdnsServiceTypes.Http);
    }
}
