using Bridge.Protocols.Tuya;
using Bridge.Service.Drivers.Lan;
using Bridge.Service.Modules;

namespace Bridge.Service.Drivers.Tuya;

/// <summary>Tuya Wi-Fi devices over their LAN protocol 3.1–3.5 (PROTOCOLS.md §10.1): heard by their
/// broadcasts, adopted with their local key (kept in the secret store), one persistent TCP
/// connection each, confirmed by the device's STATUS push.</summary>
public sealed class TuyaModule : IProtocolModule
{
    public string Name => TuyaDevices.Protocol;

    public void Register(ProtocolBuilder protocol) => protocol
        .Options<TuyaOptions>(TuyaOptions.Section, o => o.Validate())
        .StaticDevices(ValidateStatic)
        .Hosted<TuyaDevices>()
        .Driver<TuyaDriver>()
        .UdpDiscovery<TuyaLanDiscovery>()
        .Adopter<TuyaAdopter>()
        .Demo<TuyaDemoDevices>();

    private static IEnumerable<string> ValidateStatic(StaticLanDevicesOptions o)
    {
        foreach (var p in o.ValidateCommon(TuyaDevices.Protocol, id => id.Replace("tuya-", "").All(char.IsAsciiLetterOrDigit), "tuya-bf0123456789abcdef01"))
            yield return p;
        foreach (var (i, d) in o.Of(TuyaDevices.Protocol))
        {
            // Never echo the key: name the problem only.
            if (d.Key is not null && TuyaKeys.TryParseLocalKey(d.Key, out var error) is null) yield return $"Devices:Static:{i}:Key: {error}";
            if (d.Version is not null && !TuyaVersions.TryParse(d.Version, out _)) yield return $"Devices:Static:{i}:Version must be 3.1, 3.3, 3.4 or 3.5";
            if (d.Port is < 1 or > 65535) yield return $"Devices:Static:{i}:Port must be 1..65535";
        }
    }
}
