using System.Net;
using Bridge.Service.Adoption;
using Bridge.Service.Discovery;

namespace Bridge.Service.Drivers.Tasmota;

/// <summary>Names the Tasmota at an address by its <c>Status 0</c> (Tasmota announces itself by mDNS only in some
/// builds, PROTOCOLS.md): its topic is its id, so an adopted Tasmota is listed by <c>discovered</c> as adopted.</summary>
public sealed class TasmotaAddressIdentifier(TasmotaAdopter adopter) : IAddressIdentifier
{
    public string Protocol => TasmotaDriver.DriverName;

    public int DefaultPort => 80;

    public async Task<DiscoveredDevice> IdentifyAsync(IPEndPoint at, AdoptCredential? credential, CancellationToken ct)
    {
        var status = await adopter.StatusAsync(at.ToString(), at, credential?.Value, ct, LogLevel.Information).ConfigureAwait(false);
        return new DiscoveredDevice(status.Topic, Protocol, at.Address, at.Port, status.Name ?? status.Hostname ?? status.Topic, "address");
    }
}
