using Bridge.Protocols.Api;
using Bridge.Protocols.Tuya;
using Bridge.Service.Adoption;
using Bridge.Service.Devices;

namespace Bridge.Service.Drivers.Tuya;

/// <summary>Adopts a Tuya device with its local key (<c>{"op":"adopt","device":"tuya-…","key":"…"}</c>):
/// the key is tried on the device, and kept in the secret store only once the device answered with
/// it. Adopting again with a new key (after the device was re-paired) replaces the old one.</summary>
public sealed class TuyaAdopter(TuyaDevices devices) : IDeviceAdopter
{
    public string Protocol => TuyaDevices.Protocol;

    public Task<Device> AdoptAsync(AdoptRequest request, CancellationToken ct)
    {
        if (request.Credential is not { Kind: AdoptCredential.Key } credential)
            throw new AdoptFailedException(ErrorCodes.BadRequest,
                $"a Tuya device needs its local key: {{\"op\":\"adopt\",\"device\":\"{request.Id}\",\"key\":\"<16 characters>\"}} (read it with the Tuya IoT platform)");
        if (TuyaKeys.TryParseLocalKey(credential.Value, out var error) is null) throw new AdoptFailedException(ErrorCodes.BadRequest, error);
        if (!devices.TryHeard(request.Id, out var announcement, out var endPoint))
            throw new AdoptFailedException(ErrorCodes.DeviceOffline, $"'{request.Id}' has not been heard on the LAN lately; is it powered?");
        var productKey = announcement.ProductKey ?? request.Known?.Binding.GetValueOrDefault(TuyaDevices.ProductKeyKey);
        var profile = request.Known?.Profile ?? devices.PickProfile(request.Id, productKey)
            ?? throw new AdoptFailedException(ErrorCodes.BadRequest,
                $"no device profile for '{request.Id}' (productKey {productKey ?? "unknown"}); add one to configs/devices or set Devices:Assign:{request.Id}=<profile>");
        var name = request.Known?.Name ?? request.Found?.Name ?? request.Id;
        return devices.AdoptAsync(request.Id, announcement, endPoint, credential.Value, profile, name, ct);
    }
}
