using System.Text.Json;
using Bridge.Protocols.Miio;
using Bridge.Protocols.Model;
using Bridge.Service.Drivers.Miio;

namespace Bridge.Tests.Service.Drivers.Miio;

/// <summary>MIoT properties read and written through the shipped profiles, and profile mistakes named
/// at start, word for word (installers and the docs quote these problems).</summary>
public sealed class MiioMappingTests
{
    private static JsonElement Json(string text) => JsonDocument.Parse(text).RootElement.Clone();

    private static Dictionary<string, string> Read(string profile, params MiotProperty[] properties)
    {
        var into = new List<KeyValuePair<string, StateValue>>();
        MiioMapping.For(ShippedProfiles.Get(profile)).Read(properties, into);
        return ShippedProfiles.Texts(into);
    }

    private static List<string> ProblemsOf(string mapping, params Capability[] capabilities)
    {
        var profile = new DeviceProfile
        {
            Id = "bad-miio", Kind = "light", Driver = "miio", Capabilities = capabilities,
            Mapping = mapping.Length == 0 ? default : Json(mapping),
        };
        var problems = new List<string>();
        MiioMapping.Parse(profile, problems);
        return problems;
    }

    private static readonly Capability Power = new() { Name = "power", Type = CapabilityType.Enum, Values = ["off", "on"] };
    private static readonly Capability Level = new() { Name = "level", Type = CapabilityType.Int };

    [Fact]
    public void Properties_give_enum_values_numbers_on_their_step_and_skip_what_failed_or_is_not_mapped()
    {
        Assert.Equal(new Dictionary<string, string> { ["power"] = "on", ["mode"] = "heat", ["target_temperature"] = "24.5", ["fan_speed"] = "medium" },
            Read("miio-ac",
                new MiotProperty(2, 1, Json("true")), new MiotProperty(2, 2, Json("5")), new MiotProperty(2, 4, Json("24.6")),
                new MiotProperty(3, 2, Json("3")), new MiotProperty(4, 7, Json("30"), Code: -4001), new MiotProperty(9, 9, Json("1")),
                new MiotProperty(2, 2, Json("\"5\""))));
    }

    [Fact]
    public void Values_go_to_the_device_as_the_profile_maps_them()
    {
        var mapping = MiioMapping.For(ShippedProfiles.Get("miio-ac"));
        Assert.Equal("true", mapping.Find("power")!.ToDevice(StateValue.Of("on"))!.Value.GetRawText());
        Assert.Equal("4", mapping.Find("mode")!.ToDevice(StateValue.Of("fan"))!.Value.GetRawText());
        Assert.Equal("24.5", mapping.Find("target_temperature")!.ToDevice(StateValue.Of(24.5))!.Value.GetRawText());
        Assert.Equal("24", mapping.Find("target_temperature")!.ToDevice(StateValue.Of(24))!.Value.GetRawText());
        Assert.Null(mapping.Find("mode")!.ToDevice(StateValue.Of("auto")));
        Assert.Null(mapping.Find("swing"));
        Assert.Equal(new MiotProperty(3, 2), mapping.Find("fan_speed")!.Property);
    }

    [Fact]
    public void A_profile_without_a_miio_section_is_named()
    {
        Assert.Equal(["profile 'bad-miio': the 'miio' mapping section is missing"], ProblemsOf("", Power));
    }

    [Theory]
    [InlineData("""{}""")]
    [InlineData("""{"power":2}""")]
    [InlineData("""{"power":{"piid":1,"values":{"off":false,"on":true}}}""")]
    [InlineData("""{"power":{"siid":0,"piid":1,"values":{"off":false,"on":true}}}""")]
    [InlineData("""{"power":{"siid":2,"piid":1.5,"values":{"off":false,"on":true}}}""")]
    [InlineData("""{"power":{"siid":"2","piid":1,"values":{"off":false,"on":true}}}""")]
    public void An_entry_without_positive_whole_siid_and_piid_is_named(string mapping)
    {
        Assert.Equal(["profile 'bad-miio', miio mapping of 'power': needs an object with 'siid' and 'piid' (the MIoT service and property ids, e.g. 2 and 1)"],
            ProblemsOf(mapping, Power));
    }

    [Fact]
    public void An_unmapped_enum_value_a_zero_scale_and_a_property_mapped_twice_are_each_named()
    {
        Assert.Equal([
                "profile 'bad-miio', miio mapping of 'power': 'values' has no entry for 'off'",
                "profile 'bad-miio', miio mapping of 'level': 'scale' must not be 0",
                "profile 'bad-miio', miio mapping of 'level': property 2/1 is mapped twice",
            ],
            ProblemsOf("""{"power":{"siid":2,"piid":1,"values":{"on":true}},"level":{"siid":2,"piid":1,"scale":0}}""", Power, Level));
    }
}
