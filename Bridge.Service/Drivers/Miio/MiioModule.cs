using Bridge.Protocols.Miio;
using Bridge.Service.Drivers.Lan;
using Bridge.Service.Modules;

namespace Bridge.Service.Drivers.Miio;

/// <summary>Xiaomi Mijia devices over miIO with the MIoT spec (PROTOCOLS.md §10.2): found by the hello
/// on UDP 54321 and by <c>_miio._udp</c>, adopted with their token (kept in the secret store),
/// controlled with set_properties confirmed by a get_properties read-back, and polled for changes
/// made elsewhere.</summary>
public sealed class MiioModule : IProtocolModule
{
    public string Name => MiioDevices.Protocol;

    public void Register(ProtocolBuilder protocol) => protocol
        .Options<MiioOptions>(MiioOptions.Section, o => o.Validate())
        .StaticDevices(ValidateStatic)
        .Hosted<MiioDevices>()
        .Driver<MiioDriver>()
        .UdpDiscovery<MiioLanDiscovery>()
        .Mdns(new MiioMdnsMatcher())
        .Adopter<MiioAdopter>()
        .Demo<MiioDemoDevices>();

    private static IEnumerable<string> ValidateStatic(StaticLanDevicesOptions o)
    {
        foreach (var p in o.ValidateCommon(MiioDevices.Protocol, id => MiioDevices.TryParseDeviceId(id, out _), "miio-123456789"))
            yield return p;
        foreach (var (i, d) in o.Of(MiioDevices.Protocol))
        {
            // Never echo the token: name the problem only.
            if (d.Token is not null && MiioPacketCodec.TryParseToken(d.Token, out var error) is null) yield return $"Devices:Static:{i}:Token: {error}";
            if (d.Port is < 1 or > 65535) yield return $"Devices:Static:{i}:Port must be 1..65535";
        }
    }
}
