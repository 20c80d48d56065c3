using System.Text.Json;
using Bridge.Protocols.Model;
using Microsoft.Extensions.Options;

namespace Bridge.Service.Devices;

/// <summary>Says whether one rule of a profile's <c>match</c> holds for the device at hand
/// (<paramref name="key"/> is the rule's name, <paramref name="value"/> its JSON value).</summary>
public delegate bool MatchRule(string key, JsonElement value);

/// <summary>Picks the profile for a found device, the same way for every protocol: the profile
/// <c>Devices:Assign</c> names for the device's id (when it is one of the protocol's profiles),
/// else the protocol's profiles in priority order, the first whose every <c>match</c> rule holds.
/// A profile without rules matches nothing, so it is used only when assigned.</summary>
public sealed class ProfileMatcher(ProfileCatalog profiles, IOptions<DevicesOptions> options, ILogger<ProfileMatcher> log)
{
    public DeviceProfile? Pick(string driver, string deviceId, MatchRule rule)
    {
        if (Assigned(driver, deviceId) is { } assigned) return assigned;
        foreach (var profile in profiles.ForDriver(driver))
            if (AllHold(profile, rule)) return profile;
        return null;
    }

    /// <summary>The same with a whole-profile test, for protocols whose rules are read together.</summary>
    public DeviceProfile? Pick(string driver, string deviceId, Func<DeviceProfile, bool> matches)
    {
        if (Assigned(driver, deviceId) is { } assigned) return assigned;
        foreach (var profile in profiles.ForDriver(driver))
            if (matches(profile)) return profile;
        return null;
    }

    /// <summary>The profile <c>Devices:Assign</c> names for the device, when it belongs to
    /// <paramref name="driver"/>; a wrong or unknown name is logged and ignored.</summary>
    public DeviceProfile? Assigned(string driver, string deviceId)
    {
        if (!options.Value.Assign.TryGetValue(deviceId, out var name)) return null;
        if (profiles.Find(name) is { } p && p.Driver == driver) return p;
        log.LogWarning("Devices:Assign:{DeviceId} names {Profile}, which is not a {Protocol} profile; matching by rules instead",
            deviceId, name, driver);
        return null;
    }

    public static bool AllHold(DeviceProfile profile, MatchRule rule)
    {
        if (profile.Match.Count == 0) return false;
        foreach (var (key, value) in profile.Match)
            if (!rule(key, value)) return false;
        return true;
    }
}

/// <summary>The shapes match rules take in profiles, read the same way by every protocol.</summary>
public static class MatchValues
{
    /// <summary>A string rule equals <paramref name="actual"/>, or an array rule holds it (one of
    /// several product keys or models).</summary>
    public static bool OneOf(JsonElement rule, string? actual, StringComparison comparison = StringComparison.Ordinal)
    {
        if (actual is null) return false;
        return rule.ValueKind switch
        {
            JsonValueKind.String => string.Equals(rule.GetString(), actual, comparison),
            JsonValueKind.Array => rule.EnumerateArray().Any(e => e.ValueKind == JsonValueKind.String && string.Equals(e.GetString(), actual, comparison)),
            _ => false,
        };
    }

    /// <summary>A string rule, or every string of an array rule, satisfies <paramref name="holds"/>
    /// (every method named is supported).</summary>
    public static bool Every(JsonElement rule, Func<string, bool> holds) => rule.ValueKind switch
    {
        JsonValueKind.String => holds(rule.GetString()!),
        JsonValueKind.Array => rule.EnumerateArray().All(e => e.ValueKind == JsonValueKind.String && holds(e.GetString()!)),
        _ => false,
    };
}
