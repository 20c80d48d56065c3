using System.Text;
using Bridge.Protocols.Model;
using Bridge.Protocols.Tasmota;
using Bridge.Service.Drivers.Tasmota;
using Bridge.Service.Hosting;

namespace Bridge.Tests.Service.Drivers.Tasmota;

/// <summary>A profile's <c>match</c> rules of the wrong shape: no exception while discovering,
/// and a problem named at start like any other profile mistake.</summary>
public sealed class TasmotaProfileMatcherTests
{
    private static DeviceProfile Plug(string match)
    {
        var problems = new List<string>();
        var json = """{"kind":"plug","driver":"tasmota","match":""" + match + """
            ,"capabilities":{"power":{"type":"enum","values":["off","on"]}},
             "tasmota":{"power":{"command":"POWER","key":"POWER","values":{"off":"OFF","on":"ON"}}}}
            """;
        var profile = DeviceProfileReader.Read("odd-plug", Encoding.UTF8.GetBytes(json), problems);
        Assert.Empty(problems);
        return profile!;
    }

    private static readonly TasmotaDiscoveryConfig SonoffBasic =
        new() { Mac = "AABBCCDDEEFF", Topic = "t", Module = "Sonoff Basic", Relays = [1, 0], LightSubtype = 1 };

    private static List<string> Problems(DeviceProfile profile)
    {
        var problems = new List<string>();
        TasmotaProfileMatcher.Validate(profile, problems);
        return problems;
    }

    [Theory]
    [InlineData("""{"relay":"1"}""", "'relay': must be a whole number")]
    [InlineData("""{"relay":1.5}""", "'relay': must be a whole number")]
    [InlineData("""{"lightSubtype":"1"}""", "'lightSubtype': must be a whole number")]
    [InlineData("""{"lightSubtype":null}""", "'lightSubtype': must be a whole number")]
    [InlineData("""{"module":1}""", "'module': must be a regular expression")]
    [InlineData("""{"module":"(unclosed"}""", "'module': '(unclosed' is not a valid regular expression")]
    [InlineData("""{"relays":1}""", "'relays': unknown rule")]
    public void A_rule_of_the_wrong_shape_matches_nothing_and_is_a_named_problem(string match, string problem)
    {
        var profile = Plug(match);
        Assert.False(TasmotaProfileMatcher.Matches(profile, SonoffBasic));
        Assert.Contains(Problems(profile), p => p.StartsWith("profile 'odd-plug', tasmota match ", StringComparison.Ordinal) && p.Contains(problem));
    }

    [Fact]
    public void Well_formed_rules_are_no_problem_and_still_match()
    {
        var profile = Plug("""{"module":"(?i)sonoff","relay":1,"lightSubtype":1}""");
        Assert.Empty(Problems(profile));
        Assert.True(TasmotaProfileMatcher.Matches(profile, SonoffBasic));
    }

    [Fact]
    public void A_text_relay_in_a_profile_stops_start_up_and_names_the_profile()
    {
        var dir = Directory.CreateTempSubdirectory("bridge-profiles-").FullName;
        try
        {
            File.WriteAllText(Path.Combine(dir, "quoted-plug.json"), """
                {"kind":"plug","driver":"tasmota","match":{"relay":"1"},
                 "capabilities":{"power":{"type":"enum","values":["off","on"]}},
                 "tasmota":{"power":{"command":"POWER","key":"POWER","values":{"off":"OFF","on":"ON"}}}}
                """);
            var problems = new List<string>();
            Assert.Null(BridgeApp.Create([$"--Devices:ProfileDir={dir}", "--Api:Port=0", "--Mqtt:Port=0", $"--Data:Dir={dir}"], problems));
            Assert.Contains(problems, p => p.Contains("profile 'quoted-plug', tasmota match 'relay': must be a whole number"));
        }
        finally
        {
            Directory.Delete(dir, true);
        }
    }
}
