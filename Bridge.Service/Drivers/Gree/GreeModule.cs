using Bridge.Protocols.Gree;
using Bridge.Service.Drivers.Lan;
using Bridge.Service.Modules;

namespace Bridge.Service.Drivers.Gree;

/// <summary>Gree air conditioners over UDP 7000, V1 and V2 firmware (PROTOCOLS.md §10.3): found by the
/// scan, adopted by binding (nothing to paste; the unit's key kept in the secret store), polled gently
/// for changes made with the remote, set with the state the unit's <c>res</c> confirmed.</summary>
public sealed class GreeModule : IProtocolModule
{
    public string Name => GreeDevices.Protocol;

    public void Register(ProtocolBuilder protocol) => protocol
        .Options<GreeOptions>(GreeOptions.Section, o => o.Validate())
        .StaticDevices(ValidateStatic)
        .Hosted<GreeDevices>()
        .Driver<GreeDriver>()
        .UdpDiscovery<GreeLanDiscovery>()
        .Adopter<GreeAdopter>()
        .Demo<GreeDemoDevices>();

    private static IEnumerable<string> ValidateStatic(StaticLanDevicesOptions o)
    {
        foreach (var p in o.ValidateCommon(GreeDevices.Protocol, id => id.StartsWith(GreeDevices.Protocol + "-", StringComparison.Ordinal) && GreeColumns.IsMac(id[(GreeDevices.Protocol.Length + 1)..]), "gree-f4911e7aca59"))
            yield return p;
        foreach (var (i, d) in o.Of(GreeDevices.Protocol))
        {
            if (d.Key is not null || d.Token is not null) yield return $"Devices:Static:{i}: a Gree unit takes no Key or Token (the bridge binds it)";
            if (d.Port is < 1 or > 65535) yield return $"Devices:Static:{i}:Port must be 1..65535";
        }
    }
}
