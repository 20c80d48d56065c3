using System.Text.Json;
using Bridge.Protocols.Model;
using Bridge.Service.Devices;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace Bridge.Tests.Service.Devices;

/// <summary>One profile choice for every protocol: Devices:Assign first (when it names one of the
/// protocol's profiles), then the protocol's profiles by priority, the first whose every rule holds.</summary>
public sealed class ProfileMatcherTests
{
    private static readonly DeviceProfile Plug = Profile("acme-plug", "acme", """{"model":"plug-1"}""");
    private static readonly DeviceProfile PlugPro = Profile("acme-plug-pro", "acme", """{"model":["plug-1","plug-2"],"meter":true}""", priority: 10);
    private static readonly DeviceProfile Unmatched = Profile("acme-any", "acme", "{}");
    private static readonly DeviceProfile Other = Profile("other-lamp", "other", """{"model":"plug-1"}""");

    private static ProfileMatcher Matcher(Dictionary<string, string>? assign = null) =>
        new(new ProfileCatalog([Plug, PlugPro, Unmatched, Other]),
            Options.Create(new DevicesOptions { Assign = assign ?? new() }), NullLogger<ProfileMatcher>.Instance);

    private static MatchRule Device(string model, bool meter) => (key, value) => key switch
    {
        "model" => MatchValues.OneOf(value, model),
        "meter" => value.ValueKind == (meter ? JsonValueKind.True : JsonValueKind.False),
        _ => false,
    };

    [Fact]
    public void The_highest_priority_profile_whose_every_rule_holds_wins()
    {
        Assert.Same(PlugPro, Matcher().Pick("acme", "acme-1", Device("plug-2", meter: true)));
        Assert.Same(Plug, Matcher().Pick("acme", "acme-1", Device("plug-1", meter: false)));
        Assert.Null(Matcher().Pick("acme", "acme-1", Device("plug-9", meter: false)));
    }

    [Fact]
    public void Devices_Assign_wins_over_rules_and_a_profile_without_rules_is_used_only_when_assigned()
    {
        var matcher = Matcher(new() { ["acme-1"] = "acme-any" });
        Assert.Same(Unmatched, matcher.Pick("acme", "acme-1", Device("plug-1", meter: false)));
        Assert.Same(Plug, matcher.Pick("acme", "acme-2", Device("plug-1", meter: false)));
    }

    [Fact]
    public void An_assignment_naming_another_protocols_profile_or_none_falls_back_to_the_rules()
    {
        var matcher = Matcher(new() { ["acme-1"] = "other-lamp", ["acme-2"] = "no-such-profile" });
        Assert.Same(Plug, matcher.Pick("acme", "acme-1", Device("plug-1", meter: false)));
        Assert.Same(Plug, matcher.Pick("acme", "acme-2", Device("plug-1", meter: false)));
    }

    private static DeviceProfile Profile(string id, string driver, string match, int priority = 0)
    {
        using var doc = JsonDocument.Parse(match);
        return new DeviceProfile
        {
            Id = id, Kind = "plug", Driver = driver, Priority = priority, Capabilities = [],
            Match = doc.RootElement.EnumerateObject().ToDictionary(p => p.Name, p => p.Value.Clone()),
        };
    }
}
