using System.Text.Json;
using Bridge.Protocols.Model;
using Bridge.Service.Drivers.Shelly;

namespace Bridge.Tests.Service.Drivers.Shelly;

/// <summary>Shelly status objects (GetStatus results, NotifyStatus params) read through the shipped profiles.</summary>
public sealed class ShellyStatusReaderTests
{
    private static Dictionary<string, string> Read(string profile, string json)
    {
        var into = new List<KeyValuePair<string, StateValue>>();
        using var doc = JsonDocument.Parse(json);
        ShellyStatusReader.Read(doc.RootElement, ShellyMapping.For(ShippedProfiles.Get(profile)), into);
        return ShippedProfiles.Texts(into);
    }

    [Fact]
    public void A_dimmers_light_component_gives_power_and_brightness()
    {
        var state = Read("shelly-dimmer-light", """{"light:0":{"id":0,"output":true,"brightness":63.6},"sys":{"uptime":5}}""");
        Assert.Equal(new Dictionary<string, string> { ["power"] = "on", ["brightness"] = "64" }, state);
    }

    [Fact]
    public void A_notification_carrying_one_field_gives_only_that_capability()
    {
        Assert.Equal(new Dictionary<string, string> { ["power"] = "off" }, Read("shelly-dimmer-light", """{"light:0":{"output":false}}"""));
    }

    [Fact]
    public void Values_of_the_wrong_kind_and_other_components_are_left_out()
    {
        Assert.Empty(Read("shelly-dimmer-light", """{"light:0":{"output":"yes","brightness":"high"},"light:1":{"output":true}}"""));
        Assert.Empty(Read("shelly-dimmer-light", """[]"""));
        Assert.Empty(Read("shelly-dimmer-light", """{"light:0":42}"""));
    }
}
