using System.Buffers;
using System.Text;
using Bridge.Protocols.Model;
using Bridge.Protocols.Tasmota;
using Bridge.Service.Devices;
using Bridge.Service.Drivers.Tasmota;

namespace Bridge.Tests.Service.Devices;

/// <summary>The shipped profiles load, and Tasmota reports read through them as a user expects.</summary>
public sealed class ProfilesTests
{
    private static readonly string Dir = Path.Combine(AppContext.BaseDirectory, "configs", "devices");

    private static ProfileCatalog Catalog()
    {
        var problems = new List<string>();
        var catalog = ProfileCatalog.Load(Dir, problems);
        Assert.Empty(problems);
        return catalog;
    }

    private static List<KeyValuePair<string, StateValue>> Read(string profile, string json)
    {
        var list = new List<KeyValuePair<string, StateValue>>();
        Assert.True(TasmotaReportReader.TryReadJson(new ReadOnlySequence<byte>(Encoding.UTF8.GetBytes(json)),
            TasmotaMapping.For(Catalog().Find(profile)!), list));
        return list;
    }

    [Fact]
    public void Every_shipped_profile_loads_and_its_mapping_is_complete()
    {
        var catalog = Catalog();
        Assert.True(catalog.Ordered.Count >= 7);
        var problems = new List<string>();
        foreach (var p in catalog.ForDriver("tasmota")) TasmotaMapping.Parse(p, problems);
        foreach (var p in catalog.ForDriver("shelly")) Bridge.Service.Drivers.Shelly.ShellyMapping.Parse(p, problems);
        Assert.Empty(problems);
    }

    [Fact]
    public void A_light_result_becomes_contract_values()
    {
        var state = Read("tasmota-ct-light", """{"POWER":"ON","Dimmer":80,"Color":"0000FF00","White":80,"CT":370,"Channel":[0,0,0,80]}""");
        Assert.Contains(new("power", StateValue.Of("on")), state);
        Assert.Contains(new("brightness", StateValue.Of(80)), state);
        Assert.Contains(new("color_temp", StateValue.Of(2703)), state);
    }

    [Fact]
    public void An_irhvac_result_and_a_sensor_reading_become_contract_values()
    {
        var state = Read("tasmota-ir-hvac", """{"IRHVAC":{"Vendor":"MITSUBISHI_AC","Model":-1,"Power":"On","Mode":"Cool","Celsius":"On","Temp":24.5,"FanSpeed":"Auto"}}""");
        Assert.Contains(new("mode", StateValue.Of("cool")), state);
        Assert.Contains(new("fan_speed", StateValue.Of("auto")), state);
        Assert.Contains(new("target_temperature", StateValue.Of(24.5)), state);
        var sensor = Read("tasmota-ir-hvac", """{"Time":"2026-11-23T06:00:00","SI7021":{"Temperature":26.14,"Humidity":50.0},"TempUnit":"C"}""");
        Assert.Equal([new("current_temperature", StateValue.Of(26.1))], sensor);
    }

    [Fact]
    public void Thermostat_numbers_map_to_power_values()
    {
        Assert.Contains(new("power", StateValue.Of("on")), Read("tasmota-thermostat-water-heater", """{"ThermostatModeSet1":1}"""));
        Assert.Contains(new("power", StateValue.Of("off")), Read("tasmota-thermostat-water-heater", """{"ThermostatModeSet1":0}"""));
        Assert.Contains(new("target_temperature", StateValue.Of(55)), Read("tasmota-thermostat-water-heater", """{"TempTargetSet1":55.0}"""));
    }

    [Fact]
    public void Discovery_picks_the_right_profile()
    {
        var catalog = Catalog();
        TasmotaDiscoveryConfig Config(string md, int[] rl, int lt) => new() { Mac = "AABBCCDDEEFF", Topic = "t", Module = md, Relays = rl, LightSubtype = lt };
        string Pick(TasmotaDiscoveryConfig c) => catalog.ForDriver("tasmota").First(p => TasmotaProfileMatcher.Matches(p, c)).Id;
        Assert.Equal("tasmota-ct-light", Pick(Config("Generic CCT Bulb", [2, 0], 2)));
        Assert.Equal("tasmota-dimmer-light", Pick(Config("Dimmer", [2], 1)));
        Assert.Equal("tasmota-relay-plug", Pick(Config("Sonoff Basic", [1, 0], 0)));
        Assert.Equal("tasmota-ir-hvac", Pick(Config("IR HVAC Bridge", [0], 0)));
        Assert.Equal("tasmota-thermostat-water-heater", Pick(Config("Water Heater", [1], 0)));
    }

    [Fact]
    public void A_broken_profile_is_reported_with_every_problem()
    {
        var problems = new List<string>();
        var profile = DeviceProfileReader.Read("broken", """{"kind":"toaster","capabilities":{"power":{"type":"enum"},"level":{"type":"int","min":5,"max":1}}}"""u8, problems);
        Assert.Null(profile);
        Assert.Contains(problems, p => p.Contains("'kind'"));
        Assert.Contains(problems, p => p.Contains("'driver'"));
        Assert.Contains(problems, p => p.Contains("needs 'values'"));
        Assert.Contains(problems, p => p.Contains("'min' is above 'max'"));
    }
}
