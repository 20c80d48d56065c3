using System.Text.Json;
using System.Text.RegularExpressions;
using Bridge.Protocols.Model;
using Bridge.Protocols.Tasmota;

namespace Bridge.Service.Drivers.Tasmota;

/// <summary>Picks a profile for a device from its discovery config: <c>module</c> (regex on the
/// template name), <c>relay</c> (type of the first relay) and <c>lightSubtype</c> (minimum lt_st).</summary>
public static class TasmotaProfileMatcher
{
    public static bool Matches(DeviceProfile profile, TasmotaDiscoveryConfig config)
    {
        if (profile.Match.Count == 0) return false;
        foreach (var (key, value) in profile.Match)
        {
            switch (key)
            {
                case "module":
                    if (value.ValueKind != JsonValueKind.String || config.Module is null ||
                        !Regex.IsMatch(config.Module, value.GetString()!, RegexOptions.None, TimeSpan.FromMilliseconds(50)))
                        return false;
                    break;
                case "relay":
                    if (!value.TryGetInt32(out var relay) || config.Relays.Length == 0 || config.Relays[0] != relay) return false;
                    break;
                case "lightSubtype":
                    if (!value.TryGetInt32(out var subtype) || config.LightSubtype < subtype) return false;
                    break;
                default:
                    return false;
            }
        }
        return true;
    }
}
