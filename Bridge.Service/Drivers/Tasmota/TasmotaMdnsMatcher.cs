using Bridge.Protocols.Dns;
using Bridge.Service.Discovery;

namespace Bridge.Service.Drivers.Tasmota;

/// <summary>Tasmota announces only its web UI, as <c>_http._tcp</c> under its default host name
/// (<c>tasmota-XXXXXX-NNNN</c>); the device itself is found through MQTT discovery.</summary>
public sealed class TasmotaMdnsMatcher : IMdnsMatcher
{
    public IReadOnlyList<DnsName> ServiceTypes { get; } = [MdnsServiceTypes.Http];

    public MdnsIdentity? Identify(DnsName serviceType, string instanceLabel, IReadOnlyDictionary<string, string?> txt) =>
        instanceLabel.StartsWith("tasmota", StringComparison.OrdinalIgnoreCase)
            ? new MdnsIdentity(instanceLabel.ToLowerInvariant(), TasmotaDriver.DriverName, OwnService: false)
            : null;
}
