using System.Text.Json;
using Bridge.Protocols.Model;
using Bridge.Service.Drivers.Mapping;

namespace Bridge.Tests.Service.Drivers.Mapping;

/// <summary>The primitives every protocol's profile mapping is read with: a member of the wrong kind
/// reads as absent (never throws), and problems are named by profile, protocol and capability.</summary>
public sealed class MappingSectionTests
{
    private static JsonElement Json(string text) => JsonDocument.Parse(text).RootElement.Clone();

    [Theory]
    [InlineData("""{"id":2}""", 2)]
    [InlineData("""{"id":-3}""", -3)]
    [InlineData("""{"id":"2"}""", null)]
    [InlineData("""{"id":1.5}""", null)]
    [InlineData("""{"id":4294967296}""", null)]
    [InlineData("""{"other":2}""", null)]
    [InlineData("""[2]""", null)]
    public void Int_is_a_32_bit_whole_number_or_absent(string entry, int? expected)
    {
        Assert.Equal(expected, MappingSection.Int(Json(entry), "id"));
    }

    [Theory]
    [InlineData("""{"x":"Pow"}""", "Pow", null)]
    [InlineData("""{"x":0.5}""", null, 0.5)]
    [InlineData("""{"x":true}""", null, null)]
    [InlineData("""7""", null, null)]
    public void Str_and_Number_read_only_their_own_kind(string entry, string? text, double? number)
    {
        Assert.Equal((text, number), (MappingSection.Str(Json(entry), "x"), MappingSection.Number(Json(entry), "x")));
    }

    [Fact]
    public void Every_capability_gets_an_entry_or_a_problem_naming_what_it_needs()
    {
        var profile = new DeviceProfile
        {
            Id = "p", Kind = "light", Driver = "test",
            Capabilities = [new Capability { Name = "power", Type = CapabilityType.Int }, new Capability { Name = "level", Type = CapabilityType.Int }],
            Mapping = Json("""{"power":{"n":1},"level":"n"}"""),
        };
        var problems = new List<string>();

        var read = MappingSection.ReadCapabilities(profile, "test", problems, (cap, entry, where) => MappingSection.Int(entry, "n") is { } n ? n.ToString(System.Globalization.CultureInfo.InvariantCulture) : null, "needs 'n'");

        Assert.Equal(["1"], read);
        Assert.Equal(["profile 'p', test mapping of 'level': needs 'n'"], problems);
    }

    [Fact]
    public void A_profile_without_its_section_is_named()
    {
        var profile = new DeviceProfile { Id = "p", Kind = "light", Driver = "test", Capabilities = [new Capability { Name = "power", Type = CapabilityType.Int }] };
        var problems = new List<string>();

        Assert.Empty(MappingSection.ReadCapabilities(profile, "test", problems, (cap, entry, where) => "never", "needs 'n'"));
        Assert.Equal(["profile 'p': the 'test' mapping section is missing"], problems);
    }
}
