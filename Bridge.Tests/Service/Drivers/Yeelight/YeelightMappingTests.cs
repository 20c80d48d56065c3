using Bridge.Protocols.Model;
using Bridge.Service.Drivers.Yeelight;

namespace Bridge.Tests.Service.Drivers.Yeelight;

/// <summary>Yeelight bulb properties read through the shipped profile, and profile mistakes named at start.</summary>
public sealed class YeelightMappingTests
{
    private static Dictionary<string, string> Read(params (string Prop, string Value)[] props)
    {
        var into = new List<KeyValuePair<string, StateValue>>();
        YeelightMapping.For(ShippedProfiles.Get("yeelight-ct-light")).Read(props.Select(p => new KeyValuePair<string, string>(p.Prop, p.Value)), into);
        return ShippedProfiles.Texts(into);
    }

    [Fact]
    public void Props_give_power_brightness_and_kelvin()
    {
        Assert.Equal(new Dictionary<string, string> { ["power"] = "on", ["brightness"] = "70", ["color_temp"] = "4000" },
            Read(("power", "on"), ("bright", "70"), ("ct", "4000")));
    }

    [Fact]
    public void Unknown_props_and_values_that_do_not_fit_are_left_out()
    {
        Assert.Empty(Read(("power", "dim"), ("bright", "NaN"), ("ct", "warm"), ("rgb", "16711680"), ("bright", "")));
    }

    [Fact]
    public void The_shipped_profile_asks_for_every_prop_it_maps_and_fades_smoothly()
    {
        var mapping = YeelightMapping.For(ShippedProfiles.Get("yeelight-ct-light"));
        Assert.Equal(["power", "bright", "ct"], mapping.Props);
        Assert.Equal(("smooth", 300), (mapping.Effect, mapping.DurationMs));
        Assert.Equal("set_ct_abx", mapping.Find("color_temp")!.Method);
    }

    [Fact]
    public void A_profile_without_a_method_for_a_writable_capability_or_a_too_short_fade_is_refused_with_its_name()
    {
        var profile = new DeviceProfile
        {
            Id = "bad-bulb", Kind = "light", Driver = "yeelight",
            Capabilities = [new Capability { Name = "power", Type = CapabilityType.Enum, Values = ["off", "on"] }],
            Mapping = System.Text.Json.JsonDocument.Parse("""{"power":{"prop":"power","values":{"on":"on"}},"duration_ms":5}""").RootElement,
        };
        var problems = new List<string>();
        YeelightMapping.Parse(profile, problems);
        Assert.Contains(problems, p => p.Contains("'bad-bulb'") && p.Contains("needs 'method'"));
        Assert.Contains(problems, p => p.Contains("'bad-bulb'") && p.Contains("'values' has no entry for 'off'"));
        Assert.Contains(problems, p => p.Contains("duration_ms"));
    }
}
