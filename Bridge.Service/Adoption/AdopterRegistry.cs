using System.Collections.Concurrent;
using Bridge.Protocols.Api;
using Bridge.Service.Devices;
using Bridge.Service.Discovery;

namespace Bridge.Service.Adoption;

/// <summary>The modules' adopters by protocol: finds the device (discovered or known), picks its
/// protocol's adopter and lets one adoption per device run at a time.</summary>
public sealed class AdopterRegistry(IEnumerable<IDeviceAdopter> adopters, IEnumerable<IAddressIdentifier> identifiers, DiscoveredDevices discovered, DeviceRegistry registry)
{
    private readonly Dictionary<string, IAddressIdentifier> _byAddress = identifiers.ToDictionary(a => a.Protocol, StringComparer.Ordinal);
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

    /// <summary>The protocols whose devices can be adopted by address.</summary>
    public IReadOnlyCollection<string> AddressProtocols => _byAddress.Keys;

    /// <summary>Adopts what answers at an address (<c>host</c> or <c>host:port</c>, an IP literal): the protocol's
    /// identifier names the device, which is then listed by <c>discovered</c> (source <c>address</c>) and
    /// adopted as if announced. <paramref name="protocol"/> may be left out when one protocol adopts by address.</summary>
    public async Task<Device> AdoptAtAsync(string address, string? protocol, AdoptCredential? credential, CancellationToken ct)
    {
        var found = await IdentifyAtAsync(address, protocol, credential, ct).ConfigureAwait(false);
        return await AdoptAsync(found.Id, credential, ct).ConfigureAwait(false);
    }

    /// <summary>Names what answers at an address and lists it in <c>discovered</c> (source <c>address</c>),
    /// without changing anything on it. Throws <see cref="AdoptFailedException"/> when nothing adoptable answers.</summary>
    public async Task<DiscoveredDevice> IdentifyAtAsync(string address, string? protocol, AdoptCredential? credential, CancellationToken ct)
    {
        IAddressIdentifier? identifier;
        if (protocol is null)
        {
            if (_byAddress.Count != 1)
                throw new AdoptFailedException(ErrorCodes.BadRequest, $"say which protocol answers at that address ('protocol': {string.Join(", ", _byAddress.Keys.Order(StringComparer.Ordinal))})");
            identifier = _byAddress.Values.Single();
        }
        else if (!_byAddress.TryGetValue(protocol, out identifier))
            throw new AdoptFailedException(ErrorCodes.BadRequest,
                $"{Short(protocol)} devices are not adopted by address (by address: {string.Join(", ", _byAddress.Keys.Order(StringComparer.Ordinal))}; the others by their id from 'discovered')");
        if (!TryParse(address, identifier.DefaultPort, out var at))
            throw new AdoptFailedException(ErrorCodes.BadRequest, $"'{Short(address)}' is not an IP address (optionally with :port)");
        var found = await identifier.IdentifyAsync(at, credential, ct).ConfigureAwait(false);
        discovered.Found(found);
        return found;
    }

    private static bool TryParse(string text, int defaultPort, out System.Net.IPEndPoint at)
    {
        at = null!;
        if (System.Net.IPAddress.TryParse(text, out var ip) && !text.Contains(']', StringComparison.Ordinal))
        {
            at = new System.Net.IPEndPoint(ip, defaultPort);
            return true;
        }
        if (!System.Net.IPEndPoint.TryParse(text, out var ep) || ep.Port == 0) return false;
        at = ep;
        return true;
    }

    private static string Short(string s) => s.Length <= 40 ? s : s[..40] + "…";
}
