using System.Text.Json;
using System.Text.RegularExpressions;
using Bridge.Protocols.Model;
using Bridge.Protocols.Tasmota;

namespace Bridge.Service.Drivers.Tasmota;

/// <summary>Picks a profile for a device from its discovery config: <c>module</c> (regex on the
/// template name), <c>relay</c> (type of the first relay) and <c>lightSubtype</c> (minimum lt_st).</summary>
public static class TasmotaProfileMatcher
{
    private static readonly TimeSpan RegexTimeout = TimeSpan.FromMilliseconds(50);

    /// <summary>Whether every rule holds. A rule of the wrong shape holds for no device (and is
    /// reported at start by <see cref="Validate"/>): discovery never throws over a profile's text.</summary>
    public static bool Matches(DeviceProfile profile, TasmotaDiscoveryConfig config)
    {
        if (profile.Match.Count == 0) return false;
        foreach (var (key, value) in profile.Match)
        {
            switch (key)
            {
                case "module":
                    if (value.ValueKind != JsonValueKind.String || config.Module is null || !ModuleHolds(value.GetString()!, config.Module))
                        return false;
                    break;
                case "relay":
                    if (WholeNumber(value) is not { } relay || config.Relays.Length == 0 || config.Relays[0] != relay) return false;
                    break;
                case "lightSubtype":
                    if (WholeNumber(value) is not { } subtype || config.LightSubtype < subtype) return false;
                    break;
                default:
                    return false;
            }
        }
        return true;
    }

    /// <summary>At start, with the profile's other problems: a rule this matcher does not know, or one
    /// whose value has the wrong shape, would make the profile match no device without a word.</summary>
    public static void Validate(DeviceProfile profile, List<string> problems)
    {
        foreach (var (key, value) in profile.Match)
        {
            var where = $"profile '{profile.Id}', tasmota match '{key}'";
            switch (key)
            {
                case "module":
                    if (value.ValueKind != JsonValueKind.String)
                        problems.Add($"{where}: must be a regular expression on the module's template name (a string), e.g. \"(?i)hvac\"");
                    else if (!IsRegex(value.GetString()!))
                        problems.Add($"{where}: '{value.GetString()}' is not a valid regular expression");
                    break;
                case "relay":
                case "lightSubtype":
                    if (WholeNumber(value) is null) problems.Add($"{where}: must be a whole number, e.g. 1 (not {value.GetRawText()})");
                    break;
                default:
                    problems.Add($"{where}: unknown rule (known: module, relay, lightSubtype)");
                    break;
            }
        }
    }

    /// <summary>A JSON number that is a whole <see cref="int"/>; null for text ("1"), fractions and
    /// anything else (<see cref="JsonElement.TryGetInt32"/> throws on a value that is not a number).</summary>
    private static int? WholeNumber(JsonElement value) =>
        value.ValueKind == JsonValueKind.Number && value.TryGetInt32(out var n) ? n : null;

    /// <summary>An invalid pattern holds for no module, as any other malformed rule.</summary>
    private static bool ModuleHolds(string pattern, string module)
    {
        try
        {
            return Regex.IsMatch(module, pattern, RegexOptions.None, RegexTimeout);
        }
        catch (Exception e) when (e is ArgumentException or RegexMatchTimeoutException)
        {
            // A pattern that does not parse, or one so costly it ran out of time on this module.
            return false;
        }
    }

    private static bool IsRegex(string pattern)
    {
        try
        {
            _ = new Regex(pattern, RegexOptions.None, RegexTimeout);
            return true;
        }
        catch (ArgumentException)
        {
            return false;
        }
    }
}
