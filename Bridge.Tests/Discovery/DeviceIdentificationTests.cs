using Bridge.Service.Discovery;

namespace Bridge.Tests.Discovery;

public sealed class DeviceIdentificationTests
{
    private static readonly Dictionary<string, string?> NoTxt = [];

    [Fact]
    public void Shelly_and_ESPHome_are_known_by_their_service_type()
    {
        Assert.Equal(("shellyplus1-a8032ab12345", "shelly"), DeviceIdentification.Identify(DeviceIdentification.Shelly, "ShellyPlus1-A8032AB12345", NoTxt));
        Assert.Equal(("kitchen-sensor", "esphome"), DeviceIdentification.Identify(DeviceIdentification.EspHome, "kitchen-sensor", NoTxt));
    }

    [Fact]
    public void Behind_http_only_devices_that_name_themselves()
    {
        Assert.Equal(("shelly1-34945470ab12", "shelly"), DeviceIdentification.Identify(DeviceIdentification.Http, "shelly1-34945470AB12", NoTxt));
        Assert.Equal(("plug", "shelly"), DeviceIdentification.Identify(DeviceIdentification.Http, "plug", new Dictionary<string, string?> { ["gen"] = "2" }));
        Assert.Equal(("tasmota-1a2b3c-1234", "tasmota"), DeviceIdentification.Identify(DeviceIdentification.Http, "tasmota-1A2B3C-1234", NoTxt));
        Assert.Null(DeviceIdentification.Identify(DeviceIdentification.Http, "My NAS", NoTxt));
        Assert.Null(DeviceIdentification.Identify(Bridge.Protocols.Dns.DnsName.Parse("_ipp._tcp.local"), "shelly", NoTxt));
    }
}
