using System.Net;
using Bridge.Protocols.Api;
using Bridge.Protocols.Miio;
using Bridge.Service.Adoption;
using Bridge.Service.Devices;

namespace Bridge.Service.Drivers.Miio;

/// <summary>Adopts a Xiaomi device with its token (<c>{"op":"adopt","device":"miio-…","token":"&lt;32 hex&gt;"}</c>):
/// the token is tried on the device, and kept in the secret store only once the device answered with
/// it. Adopting again with a new token (after the device was re-bound in Mi Home) replaces the old one.</summary>
public sealed class MiioAdopter(MiioDevices devices, Microsoft.Extensions.Options.IOptions<MiioOptions> options) : IDeviceAdopter
{
    public string Protocol => MiioDevices.Protocol;

    public Task<Device> AdoptAsync(AdoptRequest request, CancellationToken ct)
    {
        if (request.Credential is not { Kind: AdoptCredential.Token } credential)
            throw new AdoptFailedException(ErrorCodes.BadRequest,
                $"a Xiaomi device needs its token: {{\"op\":\"adopt\",\"device\":\"{request.Id}\",\"token\":\"<32 hex digits>\"}} (read it from the Xiaomi cloud, region cn, or with a token extractor)");
        if (MiioPacketCodec.TryParseToken(credential.Value, out var error) is null) throw new AdoptFailedException(ErrorCodes.BadRequest, error);
        if (!MiioDevices.TryParseDeviceId(request.Id, out _))
            throw new AdoptFailedException(ErrorCodes.BadRequest, $"'{request.Id}' is not a Xiaomi device id (miio-<device id>)");
        IPEndPoint? endPoint = devices.TryHeard(request.Id, out var heard) ? heard
            : request.Found is { } f ? new IPEndPoint(f.Address, f.Port is > 0 and < 65536 ? f.Port : options.Value.Port) : null;
        if (endPoint is null)
            throw new AdoptFailedException(ErrorCodes.DeviceOffline, $"'{request.Id}' has not been heard on the LAN lately; is it powered?");
        var name = request.Known?.Name ?? request.Found?.Name ?? request.Id;
        return devices.AdoptAsync(request.Id, endPoint, credential.Value, request.Known?.Profile, name, ct);
    }
}
