using Bridge.Protocols.Api;
using Bridge.Service.Adoption;
using Bridge.Service.Devices;

namespace Bridge.Service.Drivers.Gree;

/// <summary>Adopts a Gree unit (<c>{"op":"adopt","device":"gree-…"}</c>, nothing to paste): the bridge
/// binds it, which hands out the unit's own key; the key goes to the secret store once the unit
/// answered a status request with it.</summary>
public sealed class GreeAdopter(GreeDevices devices) : IDeviceAdopter
{
    public string Protocol => GreeDevices.Protocol;

    public Task<Device> AdoptAsync(AdoptRequest request, CancellationToken ct)
    {
        if (request.Credential is not null)
            throw new AdoptFailedException(ErrorCodes.BadRequest,
                $"a Gree unit needs no {request.Credential.Kind}: the bridge binds it itself ({{\"op\":\"adopt\",\"device\":\"{request.Id}\"}})");
        if (!devices.TryHeard(request.Id, out var heard))
            throw new AdoptFailedException(ErrorCodes.DeviceOffline, $"'{request.Id}' has not answered a scan lately; is it powered and on this network?");
        var profile = request.Known?.Profile ?? devices.PickProfile(request.Id)
            ?? throw new AdoptFailedException(ErrorCodes.BadRequest, $"no Gree profile in configs/devices (set Devices:Assign:{request.Id}=<profile>)");
        var name = request.Known?.Name ?? request.Found?.Name ?? request.Id;
        var pinned = request.Known is { } known ? GreeDevices.CipherOf(known) : null;
        return devices.AdoptAsync(request.Id, heard, profile, name, pinned, ct);
    }
}
