using Bridge.Protocols.Api;
using Bridge.Service.Api;
using Bridge.Service.Security;

namespace Bridge.Service.Adoption;

/// <summary>The op <c>adopt</c> (scope install): <c>{"op":"adopt","device":"&lt;discovered id&gt;"}</c> →
/// <c>{"ok":true,"device":Device}</c> once the device is controllable (CONTRACT.md).</summary>
public sealed class AdoptOp(ShellyAdopter adopter) : IApiOp
{
    public string Name => "adopt";
    public TokenScope Scope => TokenScope.Install;

    public async ValueTask HandleAsync(ApiSession session, ApiRequest request)
    {
        var id = request.GetString("device");
        if (string.IsNullOrEmpty(id))
        {
            await session.ReplyErrorAsync(request.Id, ErrorCodes.BadRequest, "'device' (a string) is missing").ConfigureAwait(false);
            return;
        }
        Devices.Device device;
        try
        {
            device = await adopter.AdoptAsync(id, session.Closed).ConfigureAwait(false);
        }
        catch (AdoptFailedException e)
        {
            await session.ReplyErrorAsync(request.Id, e.Code, e.Message).ConfigureAwait(false);
            return;
        }
        await session.ReplyDeviceAsync(request.Id, device.View()).ConfigureAwait(false);
    }
}
