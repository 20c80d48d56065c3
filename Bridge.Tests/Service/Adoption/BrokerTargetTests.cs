using System.Net;
using Bridge.Service.Adoption;
using Bridge.Service.Discovery;
using Bridge.Service.Mqtt;

namespace Bridge.Tests.Service.Adoption;

/// <summary>Which broker address a device being adopted is told: one it can reach.</summary>
public sealed class BrokerTargetTests
{
    private static readonly LanInterface Wlan = new(3, "wlan0", [IPAddress.Parse("192.168.1.10")], Multicast: true, Loopback: false);
    private static readonly DiscoveredDevice OnWlan = new("shellyplus1-a8032ab12345", "shelly", IPAddress.Parse("192.168.1.20"), 80, "x", "mdns") { Interface = Wlan };

    [Fact]
    public void The_embedded_broker_on_all_interfaces_is_reached_at_the_bridge_address_on_the_device_interface() =>
        Assert.Equal("192.168.1.10:1883", BrokerTarget.For(new MqttOptions { Bind = "0.0.0.0" }, 1883, OnWlan));

    [Fact]
    public void An_embedded_broker_bound_to_one_address_is_reached_there() =>
        Assert.Equal("10.0.0.5:2883", BrokerTarget.For(new MqttOptions { Bind = "10.0.0.5" }, 2883, OnWlan));

    [Fact]
    public void An_external_broker_is_given_as_configured() =>
        Assert.Equal("broker.lan:1884", BrokerTarget.For(new MqttOptions { Url = "mqtt://broker.lan:1884" }, 0, OnWlan));

    [Fact]
    public void A_device_heard_on_no_known_interface_gets_no_guess() =>
        Assert.Null(BrokerTarget.For(new MqttOptions { Bind = "0.0.0.0" }, 1883, OnWlan with { Interface = null }));
}
