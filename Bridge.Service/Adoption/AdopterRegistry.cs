using System.Collections.Concurrent;
using Bridge.Protocols.Api;
using Bridge.Service.Devices;
using Bridge.Service.Discovery;

namespace Bridge.Service.Adoption;

/// <summary>The modules' adopters by protocol: finds the device (discovered or known), picks its
/// protocol's adopter and lets one adoption per device run at a time.</summary>
public sealed class AdopterRegistry(IEnumerable<IDeviceAdopter> adopters, DiscoveredDevices discovered, DeviceRegistry registry)
{
    private readonly Dictionary<string, IDeviceAdopter> _byProtocol = adopters.ToDictionary(a => a.Protocol, StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, byte> _adopting = new(StringComparer.Ordinal);

    public IReadOnlyCollection<string> Protocols => _byProtocol.Keys;

    public async Task<Device> AdoptAsync(string id, AdoptCredential? credential, CancellationToken ct)
    {
        var found = discovered.Find(id);
        registry.TryGet(id, out var known);
        if (found is null && known is null)
            throw new AdoptFailedException(ErrorCodes.UnknownDevice, $"no discovered device '{Short(id)}' (see op 'discovered')");
        var request = new AdoptRequest(id, found, known, credential);
        if (!_byProtocol.TryGetValue(request.Protocol, out var adopter))
            throw new AdoptFailedException(ErrorCodes.BadRequest,
                $"'{Short(id)}' is a {request.Protocol} device, which the bridge cannot adopt (it adopts {string.Join(", ", _byProtocol.Keys.Order(StringComparer.Ordinal))})");
        if (!_adopting.TryAdd(id, 0)) throw new AdoptFailedException(ErrorCodes.Busy, $"'{Short(id)}' is being adopted already");
        try
        {
            return await adopter.AdoptAsync(request, ct).ConfigureAwait(false);
        }
        finally
        {
            _adopting.TryRemove(id, out _);
        }
    }

    private static string Short(string s) => s.Length <= 40 ? s : s[..40] + "…";
}
